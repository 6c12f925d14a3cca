/** The end-of-run report of `generate`: what was generated, outcome tables, speed and files. */
import type { PatientSummary } from '../output/index.js';
import { formatBytes, formatCount, formatSeconds, formatShare, formatTable } from './text-table.js';

export interface WrittenFile {
  readonly format: string;
  readonly path: string;
  readonly bytes: number;
}

export interface RunReport {
  readonly source: string;
  readonly seed: string | number;
  readonly seedWasRandom: boolean;
  readonly summary: PatientSummary;
  readonly elapsedMs: number;
  readonly files: readonly WrittenFile[];
}

export function formatRunReport(report: RunReport): string[] {
  const { summary, elapsedMs } = report;
  const rate = elapsedMs > 0 ? (summary.total / elapsedMs) * 1000 : 0;
  const seedText = typeof report.seed === 'string' ? JSON.stringify(report.seed) : String(report.seed);
  const lines = [
    `Generated ${formatCount(summary.total)} patients in ${formatSeconds(elapsedMs)} (${formatCount(rate)} patients/s)`,
    `  scenario: ${report.source}`,
    `  seed:     ${seedText}${report.seedWasRandom ? ` (random; reproduce with --seed ${shellWord(String(report.seed))})` : ''}`,
  ];
  for (const dimension of summary.dimensions) {
    lines.push('');
    lines.push(
      ...formatTable(
        [{ title: dimension.title }, { title: 'Count', align: 'right' }, { title: 'Share', align: 'right' }],
        dimension.rows.map((r) => [r.value, formatCount(r.count), formatShare(r.share)]),
      ),
    );
  }
  lines.push('');
  lines.push(
    ...formatTable(
      [
        { title: 'File' },
        { title: 'Format' },
        { title: 'Size', align: 'right' },
        { title: 'Bytes', align: 'right' },
      ],
      report.files.map((f) => [f.path, f.format, formatBytes(f.bytes), formatCount(f.bytes)]),
    ),
  );
  return lines;
}

function shellWord(text: string): string {
  return /^[\w.-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
