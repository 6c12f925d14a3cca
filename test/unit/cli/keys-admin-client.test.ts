import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../lib/cli/io.js';
import { ADMIN_KEYS_PATH, AdminClient } from '../../../lib/cli/keys-admin-client.js';

const io = {
  env: { MILMED_ADMIN_KEY: `mmpg_local_abcdefghijklmnop_${'f'.repeat(64)}` },
} as unknown as CliIo;
const adminKeysUrl = (api: string) =>
  AdminClient.fromEnvironment(io, { api }, 'keys list').url(ADMIN_KEYS_PATH).href;

describe('the admin API client of milmed keys', () => {
  it.each([
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/api/v1/admin/keys'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/api/v1/admin/keys'],
    ['https://x.example.org/prod', 'https://x.example.org/prod/api/v1/admin/keys'],
  ])('puts the admin routes under the base URL %s', (api, expected) => {
    // Act
    const url = adminKeysUrl(api);
    // Assert
    expect(url).toBe(expected);
  });

  it.each([
    ['http://127.0.0.1:3000/api/v1', 'http://127.0.0.1:3000/api/v1/admin/keys'],
    ['https://x.example.org/prod/api/v1/', 'https://x.example.org/prod/api/v1/admin/keys'],
  ])('takes the API URL %s (as npm start prints it) without doubling /api/v1', (api, expected) => {
    // Act
    const url = adminKeysUrl(api);
    // Assert
    expect(url).toBe(expected);
  });
});
