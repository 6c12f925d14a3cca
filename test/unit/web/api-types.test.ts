import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../../scripts/gen-api-types.js';

describe('web console API types', () => {
  it('the committed web/src/api/schema.d.ts is what the OpenAPI document generates (run npm run gen:api-types)', async () => {
    // Prepare
    const committed = readFileSync(API_TYPES_FILE, 'utf8');

    // Act
    const generated = await apiTypesSource();

    // Assert
    expect(committed === generated, 'web/src/api/schema.d.ts is stale: run `npm run gen:api-types`').toBe(
      true,
    );
  });
});
