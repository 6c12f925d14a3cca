/**
 * Horizontal bars for counts by category, drawn as a data table: a screen reader reads the label,
 * count and share of every row; the bar itself is decoration (aria-hidden).
 */
import './charts.css';
import { formatShare } from './format';

export interface BarListRow {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  /** 0..1 of the total. */
  readonly share: number;
  /** A CSS class for the bar's colour (e.g. "tone-T1"). */
  readonly tone?: string;
}

interface Props {
  readonly title: string;
  readonly rows: readonly BarListRow[];
  /** Show at most this many rows; the rest are summed into "Other". */
  readonly limit?: number;
}

function fold(rows: readonly BarListRow[], limit: number | undefined): readonly BarListRow[] {
  if (!limit || rows.length <= limit) return rows;
  const kept = rows.slice(0, limit - 1);
  const rest = rows.slice(limit - 1);
  return [
    ...kept,
    {
      key: '__other',
      label: `Other (${rest.length})`,
      count: rest.reduce((a, r) => a + r.count, 0),
      share: rest.reduce((a, r) => a + r.share, 0),
    },
  ];
}

export function BarList({ title, rows, limit }: Props) {
  const shown = fold(rows, limit);
  const max = Math.max(1, ...shown.map((r) => r.count));
  return (
    <figure class="chart bar-list">
      <figcaption>{title}</figcaption>
      <table>
        <thead class="visually-hidden">
          <tr>
            <th scope="col">{title}</th>
            <th scope="col">Patients</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td class="bar-cell" aria-hidden="true">
                <span class={`bar ${r.tone ?? ''}`} style={{ width: `${(r.count / max) * 100}%` }} />
              </td>
              <td class="num">{r.count.toLocaleString('en-GB')}</td>
              <td class="num muted">{formatShare(r.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
