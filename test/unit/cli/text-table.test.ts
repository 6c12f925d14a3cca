import { describe, expect, it } from 'vitest';
import { GENERATE_HELP } from '../../../lib/cli/help-text.js';
import { formatCount, formatShare } from '../../../lib/cli/text-table.js';
import { OUTPUT_FORMATS } from '../../../lib/output/index.js';

describe('formatCount', () => {
  it('writes what Intl.NumberFormat en-US writes, for integers, halves and negatives', () => {
    // Prepare
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const values = [0, 1, 12, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 10_000_000, 2 ** 53 - 1];
    const more = [0.4, 0.5, 1.5, 2.5, 999.5, 1234.49, -0, -0.4, -1, -1000, -2.5, -1_234_567.5];
    // Act / Assert
    for (const n of [...values, ...more]) expect(formatCount(n), String(n)).toBe(intl.format(n));
  });
});

describe('formatShare', () => {
  it('writes 0.0% and 100.0% only when exact, so one death in 10,000 still shows', () => {
    // Act / Assert
    expect(formatShare(0)).toBe('0.0%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(9_999 / 10_000)).toBe('>99.9%');
    expect(formatShare(1 / 10_000)).toBe('<0.1%');
    expect(formatShare(499 / 500)).toBe('99.8%');
  });
});

describe('help text', () => {
  it('lists every output format in generate --help (written out, so help loads no writer)', () => {
    // Assert
    expect(GENERATE_HELP).toContain(`${OUTPUT_FORMATS.join(', ')} (default: json,csv)`);
  });
});
