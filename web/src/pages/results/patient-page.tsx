/**
 * One patient of a completed job (#/jobs/{id}/patients/{n}), read as page n+1 of one record from
 * /results (the API stops reading right after it): who, the journey (a compact bar, the health
 * course and the event table with health, waits, diversions and re-triage), conditions (complications
 * marked) and procedures with their SNOMED CT codes, allergies, medications, vital signs with their
 * LOINC codes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { ScrollBox } from '../../components';
import { focusAtPageStart, focusFirst } from '../../lib/focus';
import { href } from '../../lib/router';
import { HealthChart } from './health-chart';
import {
  careFlags,
  DEATH_HEALTH,
  eventLabel,
  facilityLabel,
  formatHours,
  formatTimestamp,
  type HealthCourse,
  healthCourse,
  INJURY_LABELS,
  isComplication,
  type Job,
  journeySegments,
  mechanismWords,
  medicationRows,
  outcomeOf,
  type PatientRecord,
  STATUS_LABELS,
  startWords,
  systemLabel,
  TRIAGE_LABELS,
  treatmentsByFacility,
  VITALS,
} from './results-model';

/** `id`: the route's patient segment as typed; only a whole number 0 … total − 1 is a patient. */
export function PatientPage({ job, id }: { job: Job; id: string }) {
  const index = /^\d{1,9}$/.test(id) ? Number(id) : -1;
  const total = job.summary?.total_patients ?? job.config.total_patients;
  const invalid =
    index < 0 || index >= total ? `This job has no patient “${id}”: ids run from 0 to ${total - 1}.` : null;
  // The API's answer, with the address it answers: an answer for another address is never shown,
  // not even for the one render before the next request starts (fix 0147).
  const [answer, setAnswer] = useState<{
    readonly id: string;
    readonly patient: PatientRecord | null;
    readonly error: string | null;
  } | null>(null);
  const current = answer?.id === id ? answer : null;
  const patient = invalid ? null : (current?.patient ?? null);
  const error = invalid ?? current?.error ?? null;
  /** The Previous or Next patient link last pressed, and the patient it opens. */
  const stepped = useRef<{ readonly step: Step; readonly to: number } | null>(null);

  // "Loading patient …" replaces the page, links included, while the next patient loads: the link
  // pressed gets the focus back (the other one at the first or last patient), so Enter, Enter, …
  // walks through the patients by keyboard (fix 0125). Only the patient the link opens takes the
  // step: a link pressed before this page's own effect has run must not be spent on this page (fix 0352).
  useEffect(() => {
    const stepping = stepped.current;
    if (!patient || stepping?.to !== patient.id) return;
    stepped.current = null;
    if (!focusAtPageStart()) return;
    const other: Step = stepping.step === 'previous' ? 'next' : 'previous';
    focusFirst(`patient-${stepping.step}`, `patient-${other}`);
  }, [patient]);

  useEffect(() => {
    if (invalid) return;
    let live = true;
    call(
      api.GET('/api/v1/jobs/{job_id}/results', {
        params: { path: { job_id: job.job_id }, query: { page: index + 1, per_page: 1 } },
      }),
    )
      .then((r) => {
        if (!live) return;
        const found = r.patients[0] ?? null;
        setAnswer({ id, patient: found, error: found ? null : `Patient ${index} was not found.` });
      })
      .catch(
        (e: unknown) =>
          live && setAnswer({ id, patient: null, error: e instanceof ApiError ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [job.job_id, id, index, invalid]);

  return (
    <div class="results-page patient-page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={href('jobs')}>Jobs</a>
        <span aria-hidden="true"> › </span>
        <a href={href('jobs', job.job_id)}>{job.config.name}</a>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">Patient {id}</span>
      </nav>
      {error && (
        <>
          <h1>Patient {id}</h1>
          <p class="error" role="alert">
            {error}
          </p>
        </>
      )}
      {!error && !patient && (
        <p class="muted" role="status">
          Loading patient {index}…
        </p>
      )}
      {patient && (
        <PatientDetails
          job={job}
          patient={patient}
          total={total}
          onStep={(step, to) => {
            stepped.current = { step, to };
          }}
        />
      )}
    </div>
  );
}

type Step = 'previous' | 'next';

function PatientDetails({
  job,
  patient: p,
  total,
  onStep,
}: {
  job: Job;
  patient: PatientRecord;
  total: number;
  onStep: (step: Step, to: number) => void;
}) {
  const d = p.demographics;
  const outcome = outcomeOf(p);
  const start = startWords(p.injury_type);
  const flags = careFlags(p);
  const course = healthCourse(p.movement_timeline, p.injury_type);
  return (
    <>
      <div class="results-head">
        <h1>
          {d.given_name} {d.family_name}
        </h1>
        <span class={`badge triage-${p.triage_category}`}>
          Triage {p.triage_category} ({TRIAGE_LABELS[p.triage_category]})
        </span>
        {flags.lastTriage && flags.lastTriage !== p.triage_category && (
          <span class={`badge triage-${flags.lastTriage}`}>
            Re-triaged {flags.lastTriage} ({TRIAGE_LABELS[flags.lastTriage]})
          </span>
        )}
        <span class={`outcome outcome-${p.status}`}>{STATUS_LABELS[p.status]}</span>
        <span class="spacer" />
        <nav class="patient-nav" aria-label="Other patients">
          {p.id > 0 && (
            <a
              id="patient-previous"
              class="button secondary"
              href={href('jobs', job.job_id, 'patients', p.id - 1)}
              onClick={() => onStep('previous', p.id - 1)}
            >
              Previous patient
            </a>
          )}
          {p.id < total - 1 && (
            <a
              id="patient-next"
              class="button secondary"
              href={href('jobs', job.job_id, 'patients', p.id + 1)}
              onClick={() => onStep('next', p.id + 1)}
            >
              Next patient
            </a>
          )}
        </nav>
      </div>

      <div class="patient-grid">
        <section class="card" aria-labelledby="who-title">
          <h2 id="who-title">Patient</h2>
          <dl class="facts">
            <Fact term="ID">{p.id}</Fact>
            <Fact term="UUID">
              <code>{p.uuid}</code>
            </Fact>
            <Fact term="Service number">
              <code>{d.service_number}</code>
            </Fact>
            <Fact term="Nation">{p.nationality}</Fact>
            <Fact term="Sex">{d.gender}</Fact>
            <Fact term="Age">
              {d.age} (born {d.birthdate})
            </Fact>
            <Fact term="Blood group">{d.blood_type}</Fact>
            <Fact term="Weight, height">
              {d.weight_kg} kg, {d.height_cm} cm
            </Fact>
          </dl>
        </section>
        <section class="card" aria-labelledby="injury-title">
          <h2 id="injury-title">{start.card}</h2>
          <dl class="facts">
            <Fact term={start.happened}>
              {formatTimestamp(p.injury_time)} ({p.day})
            </Fact>
            <Fact term="Front">{p.front}</Fact>
            <Fact term="Type">{INJURY_LABELS[p.injury_type]}</Fact>
            <Fact term="Mechanism">
              {mechanismWords(p)}
              {p.mechanism ? (
                <>
                  {' '}
                  <code class="code">SCT {p.mechanism.code}</code>
                </>
              ) : null}
            </Fact>
            <Fact term="Severity">
              {p.severity_grade} ({p.severity}/10)
            </Fact>
            <Fact term="Warfare">
              {p.scenario}
              {p.special_event ? `, ${p.special_event.replace('_', ' ')}` : ''}
              {p.mass_casualty ? ' (hurt with others)' : ''}
            </Fact>
            <Fact term="Outcome">
              {outcome ? `${outcome.label}, ${formatHours(outcome.hours)} after ${start.since}` : '—'}
            </Fact>
            {course && <Fact term="Health">{healthSummary(course, start.since)}</Fact>}
            {(flags.waits > 0 || flags.diversions > 0) && (
              <Fact term="Beds">{bedsSummary(flags.waits, flags.waitHours, flags.diversions)}</Fact>
            )}
          </dl>
        </section>
      </div>

      <Journey patient={p} course={course} />

      <section class="card" aria-labelledby="conditions-title">
        <h2 id="conditions-title">Conditions</h2>
        <ScrollBox class="table-wrap plain" label="Conditions table">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">SNOMED CT</th>
                <th scope="col">Condition</th>
                <th scope="col">Body site</th>
                <th scope="col">Severity</th>
                <th scope="col">Kind</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {p.conditions.map((c) => (
                <tr key={c.code} class={isComplication(c, p) ? 'complication' : undefined}>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>{c.name}</td>
                  <td>{c.body_part}</td>
                  <td>
                    {c.severity_grade} ({c.severity})
                  </td>
                  <td>
                    {c.primary ? (
                      'Primary'
                    ) : isComplication(c, p) ? (
                      <span class="badge complication-badge">Complication</span>
                    ) : (
                      'Secondary'
                    )}
                  </td>
                  <td>
                    {c.hours_since_injury === 0
                      ? `At ${start.since}`
                      : `${facilityLabel(c.facility)}, ${formatHours(c.hours_since_injury)} after ${start.since}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
        <p class="hint">
          Primary: the wound or illness itself; secondary: another injury or what the wound brings with it;
          complication: what followed from the injury, the time before care or the weather, recorded where and
          when it was found.
        </p>
      </section>

      <section class="card" aria-labelledby="procedures-title">
        <h2 id="procedures-title">Procedures</h2>
        {p.treatments.length === 0 && <p class="muted">No procedure recorded.</p>}
        {p.treatments.length > 0 && (
          <ScrollBox class="table-wrap plain" label="Procedures table">
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Facility</th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col" class="num">
                    After {start.since}
                  </th>
                  <th scope="col">SNOMED CT</th>
                  <th scope="col">Procedure</th>
                </tr>
              </thead>
              <tbody>
                {treatmentsByFacility(p).flatMap((g) =>
                  g.treatments.map((t, i) => (
                    <tr key={`${t.code}-${t.hours_since_injury}`} class={i === 0 ? 'group-start' : ''}>
                      <td>{i === 0 ? facilityLabel(g.facility) : ''}</td>
                      <td>{formatTimestamp(t.timestamp)}</td>
                      <td class="num">{formatHours(t.hours_since_injury)}</td>
                      <td>
                        <code>{t.code}</code>
                      </td>
                      <td>{t.name}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </ScrollBox>
        )}
      </section>

      <section class="card" aria-labelledby="allergies-title">
        <h2 id="allergies-title">Allergies</h2>
        {p.allergies.length === 0 ? (
          <p>No known allergies.</p>
        ) : (
          <ul class="allergies">
            {p.allergies.map((a) => (
              <li key={a.code}>
                <strong>{a.name}</strong>{' '}
                <code class="code">
                  {systemLabel(a.system)} {a.code}
                </code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="medications-title">
        <h2 id="medications-title">Medications</h2>
        {p.medications.length === 0 && <p class="muted">No medication recorded.</p>}
        {p.medications.length > 0 && (
          <ScrollBox class="table-wrap plain" label="Medications table">
            <table class="compact medications" aria-labelledby="medications-title">
              <thead>
                <tr>
                  <th scope="col">Facility</th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col" class="num">
                    After {start.since}
                  </th>
                  <th scope="col">Medication</th>
                  <th scope="col">Code</th>
                </tr>
              </thead>
              <tbody>
                {medicationRows(p).map((m, i) => (
                  <tr key={`${m.code}-${m.timestamp}-${i}`}>
                    <td>{facilityLabel(m.facility)}</td>
                    <td class="nowrap">{formatTimestamp(m.timestamp)}</td>
                    <td class="num">
                      {m.hours_since_injury === null ? '—' : formatHours(m.hours_since_injury)}
                    </td>
                    <td>{m.name}</td>
                    <td class="nowrap">
                      <code>{m.code}</code> <span class="muted">{systemLabel(m.system)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        )}
      </section>

      <section class="card" aria-labelledby="vitals-title">
        <h2 id="vitals-title">Vital signs</h2>
        <ScrollBox class="table-wrap" label="Vital signs table">
          <table class="compact vitals">
            <thead>
              <tr>
                <th scope="col">Facility</th>
                <th scope="col">Time (UTC)</th>
                {VITALS.map((v) => (
                  <th key={v.key} scope="col" class="num">
                    {v.label}
                    {v.unit ? ` (${v.unit})` : ''}
                    <span class="loinc">LOINC {v.loinc}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.vital_signs.map((s) => (
                <tr key={s.timestamp + s.facility}>
                  <th scope="row">{facilityLabel(s.facility)}</th>
                  <td class="nowrap">
                    {formatTimestamp(s.timestamp)}{' '}
                    <span class="muted">+{formatHours(s.hours_since_injury)}</span>
                  </td>
                  {VITALS.map((v) => (
                    <td key={v.key} class="num">
                      {s[v.key]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </section>
    </>
  );
}

function Fact({ term, children }: { term: string; children: preact.ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** "62 at injury, lowest 12 at +3.4 h, 70 at the end"; `since`: an injury, or an illness's onset. */
function healthSummary(c: HealthCourse, since: string): string {
  // The lowest point only when it is neither the start nor the end.
  const lowest =
    c.lowest.health === c.first || c.lowest.health === c.last
      ? ''
      : `, lowest ${c.lowest.health} at +${formatHours(c.lowest.hours)}`;
  const end = c.last === DEATH_HEALTH ? ', 0 at death' : `, ${c.last} at the end`;
  return `${c.first} at ${since}${lowest}${end} (of 100)`;
}

function bedsSummary(waits: number, hours: number, diversions: number): string {
  const parts: string[] = [];
  if (waits > 0) parts.push(`waited ${formatHours(hours)} for a bed${waits > 1 ? ` (${waits} times)` : ''}`);
  if (diversions > 0) parts.push(`diverted ${diversions === 1 ? 'once' : `${diversions} times`}`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} (facilities full)`;
}

function Journey({ patient: p, course }: { patient: PatientRecord; course: HealthCourse | null }) {
  const since = startWords(p.injury_type).since;
  const segments = journeySegments(p.movement_timeline);
  const end = Math.max(0.1, p.movement_timeline[p.movement_timeline.length - 1]?.hours_since_injury ?? 0);
  return (
    <section class="card" aria-labelledby="journey-title">
      <h2 id="journey-title">Timeline</h2>
      <div class="journey" aria-hidden="true">
        {segments.map((s) => (
          <div
            key={`${s.kind}-${s.from}`}
            class={`segment seg-${s.kind} fac-${s.facility}`}
            style={{ left: `${(s.from / end) * 100}%`, width: `${((s.to - s.from) / end) * 100}%` }}
            title={`${s.label}: ${formatHours(s.from)} – ${formatHours(s.to)}`}
          >
            <span>{s.kind === 'facility' ? s.label : ''}</span>
          </div>
        ))}
      </div>
      <div class="journey-scale muted" aria-hidden="true">
        <span>{since}</span>
        <span>{formatHours(end)}</span>
      </div>
      <p class="hint" aria-hidden="true">
        Coloured: at a facility (care, then waiting for evacuation); grey hatched: in transit; amber hatched:
        queued for a bed; green hatched: discharged to convalesce or to rest in quarters. The events follow.
      </p>
      {course && (
        <HealthChart
          course={course}
          since={since}
          summary={`Health course: ${healthSummary(course, since)}.`}
        />
      )}
      <ScrollBox class="table-wrap plain" label="Journey events table">
        <table class="compact events" aria-labelledby="journey-title">
          <thead>
            <tr>
              <th scope="col" class="num">
                After {since}
              </th>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Facility</th>
              <th scope="col">Event</th>
              <th scope="col" class="num">
                Health
              </th>
            </tr>
          </thead>
          <tbody>
            {p.movement_timeline.map((e, i) => (
              <tr key={`${e.event_type}-${i}`} class={`event-${e.event_type}`}>
                <td class="num nowrap">+{formatHours(e.hours_since_injury)}</td>
                <td class="nowrap muted">{formatTimestamp(e.timestamp)}</td>
                <th scope="row" class="where">
                  {facilityLabel(e.facility)}
                  {e.facility_id && <span class="facility-id"> {e.facility_id}</span>}
                </th>
                <td class="what">
                  {e.event_type === 'triage' ? (
                    <span class={`badge triage-${e.triage_category}`}>{eventLabel(e, p.injury_type)}</span>
                  ) : (
                    eventLabel(e, p.injury_type)
                  )}
                </td>
                <td class="num health-cell">
                  <span class="health-bar" aria-hidden="true">
                    <span style={{ width: `${e.health}%` }} />
                  </span>
                  {e.health}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </section>
  );
}
