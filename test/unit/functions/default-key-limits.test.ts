/** DEFAULT_KEY_LIMITS: the stage's standard limits over the built-in ones, checked at cold start. */
import { describe, expect, it } from 'vitest';
import { defaultKeyLimits } from '../../../functions/composition/default-key-limits.js';
import { ConfigError } from '../../../lib/core/index.js';
import { STANDARD_KEY_LIMITS } from '../../../lib/domain/index.js';

describe('default key limits', () => {
  it('are the built-in standard limits when the stage sets none', () => {
    // Act
    const limits = defaultKeyLimits(undefined);
    // Assert
    expect(limits).toEqual(STANDARD_KEY_LIMITS);
  });

  it("take the stage's values over the built-in ones, one by one", () => {
    // Act
    const limits = defaultKeyLimits({ requests_per_minute: 30, max_concurrent_jobs: 2 });
    // Assert
    expect(limits).toEqual({ ...STANDARD_KEY_LIMITS, requests_per_minute: 30, max_concurrent_jobs: 2 });
  });

  it('stop the function with one error naming an unknown limit and a value out of bounds', () => {
    // Act
    const attempt = () => defaultKeyLimits({ requests_per_second: 5, max_concurrent_jobs: 5000 });
    // Assert
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DEFAULT_KEY_LIMITS: names an unknown limit/);
    expect(attempt).toThrow(/DEFAULT_KEY_LIMITS\.max_concurrent_jobs: must be at most 1000/);
  });
});
