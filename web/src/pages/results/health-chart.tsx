/**
 * A patient's health course in SVG: health (0..100) at each timeline event against hours since
 * injury, straight lines between the recorded events (the record holds health only at events), the
 * triage bands (T1 below 50, T2 below 75) and the line where death occurs (0). The figure is an image
 * with a summary; every value is in the timeline table's Health column.
 */
import { niceStep, useWidth } from '../../charts';
import { DEATH_HEALTH, formatHours, type HealthCourse } from './results-model';

/** The right margin holds the names of the lines (triage bands, death). */
const PAD = { left: 34, right: 84, top: 10, bottom: 24 };
const HEIGHT = 170;
/** Triage from health at assessment (README "The medical model"): T1 below 50, T2 below 75. */
const BANDS = [
  { at: 75, label: 'T2 below 75' },
  { at: 50, label: 'T1 below 50' },
] as const;

/** Hour ticks: about five from injury to the end, in half hours for short courses. */
function hourTicks(end: number): number[] {
  const step = end <= 2 ? 0.25 : end <= 4 ? 0.5 : niceStep(end, 5);
  return Array.from({ length: Math.floor(end / step) + 1 }, (_, i) => i * step);
}

/** `since`: what hour 0 is, in words (an injury, an illness's onset). */
export function HealthChart({
  course,
  since,
  summary,
}: {
  course: HealthCourse;
  since: string;
  summary: string;
}) {
  const [ref, W] = useWidth<HTMLElement>(640);
  const plotW = W - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (h: number) => PAD.left + (h / course.end) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / 100) * plotH;
  const line = course.points.map((p) => `${x(p.hours).toFixed(1)},${y(p.health).toFixed(1)}`).join(' ');
  return (
    <figure class="chart health-chart" ref={ref}>
      <figcaption>Health course</figcaption>
      <svg width={W} height={HEIGHT} viewBox={`0 0 ${W} ${HEIGHT}`} role="img" aria-label={summary}>
        {[100, 25].map((g) => (
          <g key={g}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(g)} y2={y(g)} />
            <text class="tick" x={PAD.left - 4} y={y(g) + 4} text-anchor="end">
              {g}
            </text>
          </g>
        ))}
        {BANDS.map((b) => (
          <g key={b.at}>
            <line class="band" x1={PAD.left} x2={W - PAD.right} y1={y(b.at)} y2={y(b.at)} />
            <text class="tick" x={PAD.left - 4} y={y(b.at) + 4} text-anchor="end">
              {b.at}
            </text>
            <text class="band-label" x={W - PAD.right + 6} y={y(b.at) + 4}>
              {b.label}
            </text>
          </g>
        ))}
        <line class="death" x1={PAD.left} x2={W - PAD.right} y1={y(DEATH_HEALTH)} y2={y(DEATH_HEALTH)} />
        <text class="tick" x={PAD.left - 4} y={y(DEATH_HEALTH) + 4} text-anchor="end">
          {DEATH_HEALTH}
        </text>
        <text class="death-label" x={W - PAD.right + 6} y={y(DEATH_HEALTH) + 4}>
          death at {DEATH_HEALTH}
        </text>
        {hourTicks(course.end).map((h) => (
          <text key={h} class="tick" x={x(h)} y={HEIGHT - 6} text-anchor="middle">
            {h === 0 ? since : `${Number.isInteger(h) ? h : h.toFixed(2).replace(/0$/, '')} h`}
          </text>
        ))}
        <polyline class="course" points={line} />
        {course.points.map((p, i) => (
          <circle
            key={`${p.hours}-${i}`}
            class={p.health === DEATH_HEALTH ? 'point dead' : 'point'}
            cx={x(p.hours)}
            cy={y(p.health)}
            r={3}
          >
            <title>{`+${formatHours(p.hours)}: ${p.label}, health ${p.health}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
