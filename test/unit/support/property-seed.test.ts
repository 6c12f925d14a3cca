import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertySeed } from '../../support/property-seed.js';

describe('the property tests seed', () => {
  it('is left to fast-check when FAST_CHECK_SEED is unset or empty', () => {
    // Act & Assert
    expect(propertySeed(undefined)).toBeUndefined();
    expect(propertySeed(' ')).toBeUndefined();
  });

  it('reads FAST_CHECK_SEED as a 32-bit integer, as a commit hash read in hex gives it', () => {
    // Act & Assert: 0xabcdef12, the first eight hex digits of a commit, wraps to a signed 32-bit seed.
    expect(propertySeed('123')).toBe(123);
    expect(propertySeed(String(0xabcdef12))).toBe(0xabcdef12 | 0);
  });

  it('rejects a FAST_CHECK_SEED that is no integer, naming the variable', () => {
    // Act & Assert
    expect(() => propertySeed('abc')).toThrow('FAST_CHECK_SEED must be an integer, got "abc"');
    expect(() => propertySeed('1.5')).toThrow('FAST_CHECK_SEED');
  });

  it('is the seed every property of this run replays (the unit projects load it before their files)', () => {
    // Act
    const configured = fc.readConfigureGlobal().seed;
    // Assert
    expect(configured).toBe(propertySeed(process.env.FAST_CHECK_SEED));
  });
});
