/**
 * One patient of a completed job (#/jobs/{id}/patients/{n}), read as page n+1 of one record from
 * /results (the API stops reading right after it): who, the journey (a compact bar and the event
 * list), conditions and procedures with their SNOMED CT codes, vital signs with their LOINC codes.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { href } from '../../lib/router';
import {
  eventLabel,
  facilityLabel,
  formatHours,
  formatTimestamp,
  INJURY_LABELS,
  type Job,
  journeySegments,
  outcomeOf,
  type PatientRecord,
  STATUS_LABELS,
  treatmentsByFacility,
  VITALS,
} from './results-model';

export function PatientPage({ job, index }: { job: Job; index: number }) {
  const [patient, setPatient] = useState<PatientRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const total = job.summary?.total_patients ?? job.config.total_patients;

  useEffect(() => {
    let live = true;
    setPatient(null);
    setError(null);
    if (index < 0 || index >= total) {
      setError(`This job has no patient ${index < 0 ? '' : index}: ids run from 0 to ${total - 1}.`);
      return;
    }
    call(
      api.GET('/api/v1/jobs/{job_id}/results', {
        params: { path: { job_id: job.job_id }, query: { page: index + 1, per_page: 1 } },
      }),
    )
      .then((r) => {
        if (!live) return;
        if (r.patients[0]) setPatient(r.patients[0]);
        else setError(`Patient ${index} was not found.`);
      })
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [job.job_id, index, total]);

  return (
    <div class="results-page patient-page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={href('jobs')}>Jobs</a>
        <span aria-hidden="true"> › </span>
        <a href={href('jobs', job.job_id)}>{job.config.name}</a>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">Patient {index}</span>
      </nav>
      {error && (
        <>
          <h1>Patient {index}</h1>
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
      {patient && <PatientDetails job={job} patient={patient} total={total} />}
    </div>
  );
}

function PatientDetails({ job, patient: p, total }: { job: Job; patient: PatientRecord; total: number }) {
  const d = p.demographics;
  const outcome = outcomeOf(p);
  return (
    <>
      <div class="results-head">
        <h1>
          {d.given_name} {d.family_name}
        </h1>
        <span class={`badge triage-${p.triage_category}`}>Triage {p.triage_category}</span>
        <span class={`outcome outcome-${p.status}`}>{STATUS_LABELS[p.status]}</span>
        <span class="spacer" />
        <nav class="patient-nav" aria-label="Other patients">
          {p.id > 0 && (
            <a class="button secondary" href={href('jobs', job.job_id, 'patients', p.id - 1)}>
              Previous patient
            </a>
          )}
          {p.id < total - 1 && (
            <a class="button secondary" href={href('jobs', job.job_id, 'patients', p.id + 1)}>
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
          <h2 id="injury-title">Injury</h2>
          <dl class="facts">
            <Fact term="Injured">
              {formatTimestamp(p.injury_time)} ({p.day})
            </Fact>
            <Fact term="Front">{p.front}</Fact>
            <Fact term="Type">{INJURY_LABELS[p.injury_type]}</Fact>
            <Fact term="Mechanism">
              {p.mechanism ? (
                <>
                  {p.mechanism.name} <code class="code">SCT {p.mechanism.code}</code>
                </>
              ) : (
                'Illness'
              )}
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
              {outcome ? `${outcome.label}, ${formatHours(outcome.hours)} after injury` : '—'}
            </Fact>
          </dl>
        </section>
      </div>

      <Journey patient={p} />

      <section class="card" aria-labelledby="conditions-title">
        <h2 id="conditions-title">Conditions</h2>
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">SNOMED CT</th>
              <th scope="col">Condition</th>
              <th scope="col">Body site</th>
              <th scope="col">Severity</th>
              <th scope="col">Primary</th>
            </tr>
          </thead>
          <tbody>
            {p.conditions.map((c) => (
              <tr key={c.code}>
                <td>
                  <code>{c.code}</code>
                </td>
                <td>{c.name}</td>
                <td>{c.body_part}</td>
                <td>
                  {c.severity_grade} ({c.severity})
                </td>
                <td>{c.primary ? 'Yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="procedures-title">
        <h2 id="procedures-title">Procedures</h2>
        {p.treatments.length === 0 && <p class="muted">No procedure recorded.</p>}
        {p.treatments.length > 0 && (
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Facility</th>
                <th scope="col">Time (UTC)</th>
                <th scope="col" class="num">
                  After injury
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
        )}
      </section>

      <section class="card" aria-labelledby="vitals-title">
        <h2 id="vitals-title">Vital signs</h2>
        <div class="table-wrap">
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
        </div>
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

function Journey({ patient: p }: { patient: PatientRecord }) {
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
            <span>{s.kind === 'transit' ? '' : s.label}</span>
          </div>
        ))}
      </div>
      <div class="journey-scale muted" aria-hidden="true">
        <span>injury</span>
        <span>{formatHours(end)}</span>
      </div>
      <p class="hint" aria-hidden="true">
        Coloured: at a facility (care, then waiting for evacuation); hatched: in transit. The events follow.
      </p>
      <ol class="events">
        {p.movement_timeline.map((e, i) => (
          <li key={`${e.event_type}-${i}`} class={`event-${e.event_type}`}>
            <span class="when">
              +{formatHours(e.hours_since_injury)}
              <span class="muted"> {formatTimestamp(e.timestamp)}</span>
            </span>
            <span class="where">{facilityLabel(e.facility)}</span>
            <span class="what">{eventLabel(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
