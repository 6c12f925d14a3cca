/**
 * Patients present at each role over time (uPlot), with the time shown marked by a line that moves
 * without redrawing the chart, and a table as its text alternative.
 */
import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { COUNT_INCREMENTS, utcAxisLabel } from '../charts';
import { formatCount, formatUtc } from './playback';
import { type FlowIndex, occupancySeries } from './timeline-index';
import { COLUMNS } from './timeline-model';

const SAMPLES = 720;
const TABLE_ROWS = 12;
export const COLUMN_COLOURS = ['#5b6b7f', '#0b6e69', '#1f5fa8', '#7a3e9d', '#a4161a'] as const;

interface Props {
  readonly index: FlowIndex;
  readonly start: number;
  readonly end: number;
  readonly time: number;
}

export function OccupancyChart({ index, start, end, time }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const marker = useRef<HTMLDivElement | null>(null);
  const plot = useRef<uPlot | null>(null);
  const series = useMemo(() => occupancySeries(index, start, end, SAMPLES), [index, start, end]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(320, el.clientWidth);
    const u = new uPlot(
      {
        width,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          { values: (_u, splits) => splits.map(utcAxisLabel), space: 70 },
          { label: 'patients', size: 56, incrs: [...COUNT_INCREMENTS] },
        ],
        series: [
          {},
          ...COLUMNS.map((name, c) => ({
            label: name,
            stroke: COLUMN_COLOURS[c],
            width: 1.5,
            points: { show: false },
          })),
        ],
      },
      [series.times as unknown as number[], ...(series.columns as unknown as number[][])],
      el,
    );
    plot.current = u;
    const line = document.createElement('div');
    line.className = 'occupancy-now';
    u.over.appendChild(line);
    marker.current = line;
    const resize = new ResizeObserver(() => {
      const w = Math.max(320, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height: 220 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
      marker.current = null;
    };
  }, [series]);

  useEffect(() => {
    const u = plot.current;
    const line = marker.current;
    if (!u || !line) return;
    line.style.transform = `translateX(${Math.round(u.valToPos(time, 'x'))}px)`;
  });

  const rows = useMemo(() => {
    const out: { t: number; values: number[] }[] = [];
    for (let r = 0; r < TABLE_ROWS; r++) {
      const s = Math.round((r * (SAMPLES - 1)) / (TABLE_ROWS - 1));
      out.push({ t: series.times[s], values: series.columns.map((col) => col[s]) });
    }
    return out;
  }, [series]);

  const peaks = useMemo(
    () =>
      COLUMNS.map((name, c) => {
        let peak = 0;
        for (const v of series.columns[c]) peak = Math.max(peak, v);
        return `${name} peak ${formatCount(peak)}`;
      }).join(', '),
    [series],
  );

  // Static per series: built once, not on every playback frame.
  const table = useMemo(
    () => (
      <table class="visually-hidden">
        <caption>Patients at each role over time</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {COLUMNS.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.t}>
              <th scope="row">{formatUtc(row.t)}</th>
              {row.values.map((v, c) => (
                <td key={COLUMNS[c]}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    ),
    [rows],
  );

  return (
    <figure class="occupancy" aria-labelledby="occupancy-title">
      <figcaption id="occupancy-title">
        Patients at each role over time (at the facility or awaiting evacuation); the line marks the time
        shown. <span class="visually-hidden">{peaks}.</span>
      </figcaption>
      <div ref={host} class="occupancy-plot" aria-hidden="true" />
      {table}
    </figure>
  );
}
