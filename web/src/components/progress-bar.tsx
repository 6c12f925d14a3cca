import './components.css';

export interface ProgressBarProps {
  /** 0..100 */
  readonly value: number;
  /** The accessible name, naming what progresses ("Progress of job Training Exercise"). */
  readonly label: string;
  /** Spoken value, e.g. "40%, generating patients". */
  readonly valueText?: string;
}

/** A determinate progress bar with the progressbar role and its value for assistive technology. */
export function ProgressBar({ value, label, valueText }: ProgressBarProps) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={valueText ?? `${pct}%`}
    >
      <div class="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
