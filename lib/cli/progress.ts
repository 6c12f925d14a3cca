/**
 * Progress on stderr while patients are written: a cli-progress bar when stderr is a terminal; in a
 * log (not a terminal) a few plain lines at 25/50/75/100 % for large runs, nothing for small ones.
 */
import type { CliStream } from './io.js';
import { formatCount } from './text-table.js';

/** Smallest run that gets plain progress lines when stderr is not a terminal. */
export const PLAIN_PROGRESS_MIN = 10_000;

export interface ProgressReporter {
  update(done: number): void;
  stop(): void;
}

const NO_PROGRESS: ProgressReporter = { update: () => {}, stop: () => {} };

export async function createProgress(
  stream: CliStream,
  total: number,
  label = 'patients',
): Promise<ProgressReporter> {
  if (stream.isTTY) return barProgress(stream, total, label);
  if (total >= PLAIN_PROGRESS_MIN) return plainProgress(stream, total, label);
  return NO_PROGRESS;
}

async function barProgress(stream: CliStream, total: number, label: string): Promise<ProgressReporter> {
  // Loaded for a terminal only (with readline, about 5 MB): runs into a log or a pipe never need it.
  const { default: cliProgress } = await import('cli-progress');
  const started = performance.now();
  const { format, barsize } = fitBar(stream.columns ?? 80, total, label);
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format,
      barsize,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '0' });
  let stopped = false;
  return {
    update(done) {
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: formatCount(seconds > 0 ? done / seconds : 0) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** Widest a bar may be; the terminal's width may make it shorter. */
const BAR_SIZE = 40;
const MIN_BAR_SIZE = 10;
/** Widest rate (`999,999` patients/s) and ETA (`99h59m`, `INF`) drawn in the line. */
const RATE_WIDTH = 7;
const ETA_WIDTH = 7;

/**
 * The line's format for a terminal `columns` wide. The bar turns line wrapping off, so the terminal
 * cuts a longer line: at 80 columns the counts of a million-patient run were cut (fix 0166). The
 * bar shortens first, then the rate goes, then the bar, then the label, so the percentage and the
 * counts stay.
 */
export function fitBar(columns: number, total: number, label: string): { format: string; barsize: number } {
  // One column short of the edge: a character in the last column can move the cursor on.
  const room = columns - 1;
  const counts = 2 * String(total).length + 1;
  const rate = ` | {rate}/s`;
  const eta = ` | ETA {eta_formatted}`;
  const widthOf = (text: string) =>
    text
      .replace('{percentage}', '100')
      .replace(/\{value\}\/\{total\}/, 'x'.repeat(counts))
      .replace('{rate}', 'x'.repeat(RATE_WIDTH))
      .replace('{eta_formatted}', 'x'.repeat(ETA_WIDTH))
      .replace('{bar}', '').length;
  // With a bar of at least MIN_BAR_SIZE, dropping the rate before the bar.
  for (const tail of [`${rate}${eta}`, eta]) {
    const rest = `] {percentage}% | {value}/{total} ${label}${tail}`;
    const barsize = Math.min(BAR_SIZE, room - widthOf(`Generating [${rest}`));
    if (barsize >= MIN_BAR_SIZE) return { format: `Generating [{bar}${rest}`, barsize };
  }
  const candidates = [
    `Generating {percentage}% | {value}/{total} ${label}${eta}`,
    `{percentage}% | {value}/{total} ${label}${eta}`,
    `{percentage}% | {value}/{total}${eta}`,
  ];
  const fitting = candidates.find((format) => widthOf(format) <= room);
  return { format: fitting ?? '{percentage}% | {value}/{total}', barsize: 0 };
}

function plainProgress(stream: CliStream, total: number, label: string): ProgressReporter {
  const started = performance.now();
  let nextQuarter = 1;
  return {
    update(done) {
      if (done * 4 < nextQuarter * total) return;
      while (nextQuarter <= 4 && done * 4 >= nextQuarter * total) nextQuarter++;
      const seconds = (performance.now() - started) / 1000;
      const percent = Math.floor((done / total) * 100);
      stream.write(
        `progress: ${percent}% (${formatCount(done)}/${formatCount(total)} ${label}, ${seconds.toFixed(1)} s)\n`,
      );
    },
    stop() {},
  };
}
