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
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `Generating [{bar}] {percentage}% | {value}/{total} ${label} | {rate}/s | ETA {eta_formatted}`,
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
