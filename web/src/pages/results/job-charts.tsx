/** The charts of a completed job, all from its summary (no patient download). */
import { BarList, ColumnChart, formatShare, LineChart } from '../../charts';
import { ScrollBox } from '../../components';
import {
  arrivalSeries,
  barRows,
  dayColumns,
  facilityLabel,
  formatCount,
  formatHours,
  INJURY_LABELS,
  type JobSummary,
  legHistogram,
  legLabel,
  STATUS_LABELS,
  STATUSES,
  TRIAGES,
} from './results-model';

const ROLE_COLOURS = ['#0b6e69', '#1f5fa8', '#7a3e9d', '#a4161a'];
const TRIAGE_SERIES = TRIAGES.map((t) => ({ key: t, label: t, tone: `tone-${t}` }));

function utc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function JobCharts({ summary }: { summary: JobSummary }) {
  const total = summary.total_patients;
  const status = barRows(summary.status, { order: STATUSES, labels: STATUS_LABELS }).map((r) => ({
    ...r,
    tone: `tone-${r.key}`,
  }));
  const triage = barRows(summary.triage_category, { order: TRIAGES }).map((r) => ({
    ...r,
    tone: `tone-${r.key}`,
  }));
  const injury = barRows(summary.injury_type, {
    order: ['BATTLE_TRAUMA', 'NON_BATTLE', 'DISEASE'],
    labels: INJURY_LABELS,
  });
  const nations = barRows(summary.nationality);
  const fronts = barRows(summary.front);
  const series = summary.series;
  const days = dayColumns(series);
  const arrivals = arrivalSeries(series);

  return (
    <>
      <section aria-labelledby="kpi-title">
        <h2 id="kpi-title" class="visually-hidden">
          Outcomes at a glance
        </h2>
        <dl class="kpis">
          <div>
            <dt>Patients</dt>
            <dd>{formatCount(total)}</dd>
          </div>
          {status.map((r) => (
            <div key={r.key} class={`kpi-${r.key}`}>
              <dt>{r.label}</dt>
              <dd>
                {formatCount(r.count)} <span class="muted">{formatShare(r.share)}</span>
              </dd>
            </div>
          ))}
        </dl>
        <p class="hint">
          Killed in action and died of wounds count every death by where it happened, before or after reaching
          care, deaths from illness and non-battle injury included (the injury type tells them apart). Remains
          at Role 4 counts the casualties still in hospital there when their record ends, neither dead nor
          back on duty.
        </p>
      </section>

      <section aria-labelledby="breakdown-title">
        <h2 id="breakdown-title">Breakdown</h2>
        <div class="chart-grid">
          <div class="card">
            <BarList title="Outcome" rows={status} />
          </div>
          <div class="card">
            <BarList title="Triage" rows={triage} />
          </div>
          <div class="card">
            <BarList title="Injury type" rows={injury} />
          </div>
          <div class="card">
            <BarList title="Front" rows={fronts} limit={8} />
          </div>
          <div class="card wide">
            <BarList title="Nation" rows={nations} limit={12} />
          </div>
        </div>
      </section>

      {series && (
        <section aria-labelledby="time-title">
          <h2 id="time-title">Over time</h2>
          <div class="chart-grid">
            <div class="card wide">
              <ColumnChart
                title="Casualties per day, by triage"
                labelHeader="Day"
                series={TRIAGE_SERIES}
                columns={days.map((d) => ({
                  label: `Day ${d.day}`,
                  tick: String(d.day),
                  values: { T1: d.T1, T2: d.T2, T3: d.T3 },
                }))}
              />
            </div>
            {arrivals && (
              <div class="card wide">
                <LineChart
                  title={`Arrivals at each role per ${arrivals.binHours === 1 ? 'hour' : `${arrivals.binHours} hours`} (UTC)`}
                  yLabel="arrivals"
                  times={arrivals.times}
                  stepped
                  series={arrivals.roles.map((values, i) => ({
                    label: facilityLabel(arrivals.stats[i].role),
                    colour: ROLE_COLOURS[i],
                    values,
                  }))}
                >
                  <ScrollBox class="table-wrap plain" label="Arrivals by role table">
                    <table class="compact">
                      <caption class="visually-hidden">
                        Arrivals at each role: totals and busiest period
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">Role</th>
                          <th scope="col" class="num">
                            Arrivals
                          </th>
                          <th scope="col" class="num">
                            Busiest {arrivals.binHours === 1 ? 'hour' : 'period'}
                          </th>
                          <th scope="col">Starting</th>
                        </tr>
                      </thead>
                      <tbody>
                        {arrivals.stats.map((s) => (
                          <tr key={s.role}>
                            <th scope="row">{facilityLabel(s.role)}</th>
                            <td class="num">{formatCount(s.total)}</td>
                            <td class="num">{formatCount(s.peak)}</td>
                            <td>{s.peak ? utc(s.peakTime) : '—'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </ScrollBox>
                  {series.arrivals.late > 0 && (
                    <p class="hint">
                      {formatCount(series.arrivals.late)} later arrivals are beyond the chart.
                    </p>
                  )}
                </LineChart>
              </div>
            )}
          </div>
        </section>
      )}

      {series && <EvacuationTimes evacuation={series.evacuation} />}
    </>
  );
}

function EvacuationTimes({ evacuation }: { evacuation: NonNullable<JobSummary['series']>['evacuation'] }) {
  const legs = evacuation.legs;
  return (
    <section aria-labelledby="evac-title">
      <h2 id="evac-title">Evacuation times</h2>
      <p class="hint">
        From arrival at one facility to arrival at the next: waiting for evacuation plus transit. Median and
        90th percentile are read from half-hour bins.
      </p>
      <div class="card">
        <ScrollBox class="table-wrap plain" label="Evacuation times table">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Leg</th>
                <th scope="col" class="num">
                  Patients
                </th>
                <th scope="col" class="num">
                  Median
                </th>
                <th scope="col" class="num">
                  90th percentile
                </th>
                <th scope="col" class="num">
                  Max
                </th>
                <th scope="col" class="num">
                  Mean
                </th>
              </tr>
            </thead>
            <tbody>
              {legs.map((leg) => (
                <tr key={legLabel(leg)}>
                  <th scope="row">{legLabel(leg)}</th>
                  <td class="num">{formatCount(leg.count)}</td>
                  <td class="num">{leg.count ? formatHours(leg.median_hours) : '—'}</td>
                  <td class="num">{leg.count ? formatHours(leg.p90_hours) : '—'}</td>
                  <td class="num">{leg.count ? formatHours(leg.max_hours) : '—'}</td>
                  <td class="num">{leg.count ? formatHours(leg.mean_hours) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </div>
      <div class="chart-grid histograms">
        {legs
          .filter((leg) => leg.count > 0)
          .map((leg) => {
            const bars = legHistogram(leg, evacuation.bin_hours, evacuation.max_hours);
            return (
              <div class="card" key={legLabel(leg)}>
                <ColumnChart
                  title={`${legLabel(leg)}: hours`}
                  labelHeader="Hours"
                  height={150}
                  series={[{ key: 'n', label: 'Patients', tone: 'tone-muted' }]}
                  columns={bars.map((b) => ({
                    label: b.to === null ? `${b.from} h or more` : `${b.from}–${b.to} h`,
                    tick: b.to === null ? `${b.from}+` : String(b.from),
                    values: { n: b.count },
                  }))}
                />
              </div>
            );
          })}
      </div>
    </section>
  );
}
