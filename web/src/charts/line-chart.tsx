/**
 * Time series with uPlot (UTC axis), resized with its container. uPlot draws on a canvas, so the
 * caller passes the text alternative as children (a table of the figures); the canvas is hidden from
 * assistive technology.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './charts.css';
import { COUNT_INCREMENTS, utcAxisLabel } from './format';

/** The narrowest plot, which still fits the card of a 320 px window (fix 0142). */
const MIN_WIDTH = 200;

export interface LineSeries {
  readonly label: string;
  readonly colour: string;
  readonly values: readonly number[];
}

interface Props {
  readonly title: string;
  /** Epoch seconds. */
  readonly times: readonly number[];
  readonly series: readonly LineSeries[];
  /** What the y axis counts (whole numbers: its ticks are whole). */
  readonly yLabel: string;
  readonly height?: number;
  /** Draw steps (counts per bin) rather than lines. */
  readonly stepped?: boolean;
  readonly children?: ComponentChildren;
}

export function LineChart({ title, times, series, yLabel, height = 240, stepped, children }: Props) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el || times.length === 0) return;
    const paths = stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined;
    const u = new uPlot(
      {
        width: Math.max(MIN_WIDTH, el.clientWidth),
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: true, live: true },
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: true } },
        axes: [
          { values: (_u, splits) => splits.map(utcAxisLabel), space: 70 },
          { label: yLabel, size: 56, incrs: [...COUNT_INCREMENTS] },
        ],
        series: [
          {
            label: 'UTC',
            value: (_u, v) =>
              v == null ? '' : new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' '),
          },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: 1.5,
            points: { show: false },
            ...(paths ? { paths } : {}),
          })),
        ],
      },
      [times as number[], ...series.map((s) => s.values as number[])],
      el,
    );
    const resize = new ResizeObserver(() => {
      const w = Math.max(MIN_WIDTH, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [times, series, yLabel, height, stepped]);

  return (
    <figure class="chart line-chart">
      <figcaption>{title}</figcaption>
      <div ref={host} class="line-chart-host" aria-hidden="true" />
      {children}
    </figure>
  );
}
