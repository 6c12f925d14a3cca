/** LOCAL_API_KEY / LOCAL_ADMIN_KEY: a given key must be in the local stack's key format (infra/local/local-keys.ts). */
import { describe, expect, it } from 'vitest';
import { LocalKeys } from '../../../infra/local/local-keys.js';

const SECRET = 'c'.repeat(64);

describe('local stack keys given in the environment', () => {
  it('accepts keys of the local stage, and no key at all', () => {
    // Act
    const check = () =>
      LocalKeys.check({
        LOCAL_API_KEY: `mmpg_local_abcdefghijk23456_${SECRET}`,
        LOCAL_ADMIN_KEY: undefined,
      });
    // Assert
    expect(check).not.toThrow();
  });

  it.each([
    ['the old free-form key', 'sk_local_0123456789abcdef'],
    ['a key of another stage', `mmpg_dev_abcdefghijk23456_${SECRET}`],
    ['a key id with a 1', `mmpg_local_abcdefghijk12345_${SECRET}`],
    ['a short secret', `mmpg_local_abcdefghijk23456_${'c'.repeat(63)}`],
    ['an empty value', ''],
  ])('refuses %s with one line naming the variable and the format, never the value', (_what, value) => {
    // Act
    const check = () => LocalKeys.check({ LOCAL_ADMIN_KEY: value });
    // Assert
    expect(check).toThrow(
      'LOCAL_ADMIN_KEY must be a key of the local stack: mmpg_local_<16 characters of a-z and 2-7>_<64 hex digits>',
    );
    try {
      check();
    } catch (error) {
      if (value) expect((error as Error).message).not.toContain(value);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
