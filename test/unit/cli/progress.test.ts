import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliStream } from '../../../lib/cli/io.js';
import { createProgress } from '../../../lib/cli/progress.js';

function stream(isTTY: boolean, columns = 120): CliStream & { text: string } {
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string; isTTY: boolean; columns: number };
  out.text = '';
  out.isTTY = isTTY;
  out.columns = columns;
  return out as unknown as CliStream & { text: string };
}

describe('progress', () => {
  it('draws a bar on a terminal and ends at 100%', async () => {
    // Prepare
    const tty = stream(true);
    // Act
    const progress = await createProgress(tty, 500);
    progress.update(250);
    progress.update(500);
    progress.stop();
    // Assert
    expect(tty.text).toContain('Generating [');
    expect(tty.text).toContain('100% | 500/500 patients');
  });

  it('prints one plain line per quarter crossed in a log for a large run', async () => {
    // Prepare
    const log = stream(false);
    // Act: steps of 700 cross each quarter a little after it.
    const progress = await createProgress(log, 20_000);
    for (let done = 700; done < 20_000; done += 700) progress.update(done);
    progress.update(20_000);
    progress.stop();
    // Assert
    const lines = log.text.trimEnd().split('\n');
    const percents = lines.map((l) =>
      Number(/^progress: (\d+)% \([\d,]+\/20,000 patients, [\d.]+ s\)$/.exec(l)?.[1]),
    );
    expect(percents).toHaveLength(4);
    percents.forEach((p, i) => {
      expect(p).toBeGreaterThanOrEqual(25 * (i + 1));
      expect(p).toBeLessThan(25 * (i + 1) + 5);
    });
  });

  it('prints nothing in a log for a run under 10,000 patients', async () => {
    // Prepare
    const log = stream(false);
    // Act
    const progress = await createProgress(log, 9_999);
    progress.update(9_999);
    progress.stop();
    // Assert
    expect(log.text).toBe('');
  });

  it.each([80, 60, 40, 24])(
    'fits each drawn line in a %i-column terminal, keeping the percentage and counts',
    async (columns) => {
      // Prepare: the terminal cuts what is wider (the bar turns line wrapping off)
      const tty = stream(true, columns);
      // Act
      const progress = await createProgress(tty, 1_250_000);
      progress.update(625_000);
      progress.update(1_250_000);
      progress.stop();
      // Assert
      const esc = String.fromCharCode(27);
      const drawn = tty.text
        .split(new RegExp(`${esc}\\[1G|\\r`))
        .map((l) => l.replace(new RegExp(`${esc}(\\[[\\d;?]*[A-Za-z]|[78])`, 'g'), ''));
      const lines = drawn.filter((l) => l.includes('%'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns - 1);
      expect(lines.at(-1)).toMatch(/100% \| 1250000\/1250000/);
    },
  );
});
