/** The five columns POI..Role 4: live counts (and how), KIA/DOW/RTD tallies, a few patient cards. */
import { formatCount } from './playback';
import { type ColumnCounts, columnCounts } from './timeline-index';
import { COLUMNS, KIND, patientName, stateKind, TRIAGES, type ViewerData } from './timeline-model';

interface Props {
  readonly data: ViewerData;
  readonly counts: Int32Array;
  /** Per column, the steps (patients) to show as cards. */
  readonly cards: readonly (readonly number[])[];
}

const KIND_SHORT = ['at facility', 'awaiting evacuation', 'in transit', 'convalescing'] as const;
const LAST_COLUMN = COLUMNS.length - 1;

/** What a discharge until fit is in a column: Role 4's convalescence, an echelon in theatre's rest (fix 0391). */
function dischargedAs(col: number, short: boolean): string {
  if (col < LAST_COLUMN) return 'resting in quarters';
  return short ? KIND_SHORT[KIND.convalescing] : 'convalescing out of hospital';
}

function Card({ data, step, col }: { data: ViewerData; step: number; col: number }) {
  const p = data.evPatient[step];
  const triage = TRIAGES[data.triage[p]];
  const kind = stateKind(data.evState[step]);
  return (
    <li class={`flow-card triage-edge-${triage}`}>
      <div class="flow-card-head">
        <span class="flow-card-name">{patientName(data, p)}</span>
        <span class="flow-card-nation">{data.nations[data.nation[p]]}</span>
        <span class={`badge triage-${triage}`}>{triage}</span>
      </div>
      <div class="flow-card-condition">{data.conditions[data.condition[p]]}</div>
      {kind !== KIND.at && (
        <div class={`flow-card-kind kind-${kind}`}>
          {kind === KIND.convalescing ? dischargedAs(col, true) : KIND_SHORT[kind]}
        </div>
      )}
    </li>
  );
}

function Tallies({ c }: { c: ColumnCounts }) {
  return (
    <dl class="flow-tallies">
      <div class="tally-kia">
        <dt>KIA</dt>
        <dd>{formatCount(c.kia)}</dd>
      </div>
      <div class="tally-dow">
        <dt>DOW</dt>
        <dd>{formatCount(c.dow)}</dd>
      </div>
      <div class="tally-rtd">
        <dt>RTD</dt>
        <dd>{formatCount(c.rtd)}</dd>
      </div>
    </dl>
  );
}

export function FlowColumns({ data, counts, cards }: Props) {
  return (
    <div class="flow-columns">
      {COLUMNS.map((name, col) => {
        const c = columnCounts(counts, col);
        const shown = cards[col] ?? [];
        const more = c.live - shown.length;
        const id = `flow-col-${col}`;
        return (
          <section key={name} class="flow-column" aria-labelledby={id}>
            <header class="flow-column-head">
              <h2 id={id}>{name}</h2>
              <span class="flow-count">
                {formatCount(c.live)}
                <span class="visually-hidden"> patients</span>
              </span>
            </header>
            <p class="flow-breakdown">
              <span>{formatCount(c.at)} at facility</span>
              <span>{formatCount(c.waiting)} awaiting evacuation</span>
              {col > 0 && <span>{formatCount(c.inbound)} in transit here</span>}
              {col > 0 && (
                <span>
                  {formatCount(c.convalescing)} {dischargedAs(col, false)}
                </span>
              )}
            </p>
            <Tallies c={c} />
            <ul class="flow-cards" aria-label={`Patients at ${name}`}>
              {shown.map((step) => (
                <Card key={step} data={data} step={step} col={col} />
              ))}
            </ul>
            {more > 0 && <p class="flow-more">{formatCount(more)} more</p>}
          </section>
        );
      })}
    </div>
  );
}
