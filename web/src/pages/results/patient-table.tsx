/**
 * The job's patients, a page at a time from GET /jobs/{id}/results with the server's filters. The id
 * of each row is a link to the patient page (keyboard); a click anywhere on the row does the same.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { ScrollBox } from '../../components';
import { href, navigate } from '../../lib/router';
import {
  careFlags,
  facilityLabel,
  formatCount,
  formatHours,
  INJURY_LABELS,
  type Job,
  NO_FILTERS,
  TABLE_PAGE_SIZES as PAGE_SIZES,
  type PatientRecord,
  pageWindow,
  resultsQuery,
  STATUS_LABELS,
  STATUSES,
  type TableFilters,
  TRIAGE_LABELS,
  TRIAGES,
  tableViewFromQuery,
  tableViewQuery,
} from './results-model';

interface Page {
  readonly total: number;
  readonly totalPages: number;
  readonly patients: readonly PatientRecord[];
}

/** `query`: the results route's query, the view to open with (tableViewFromQuery). */
export function PatientTable({ job, query }: { job: Job; query: URLSearchParams }) {
  const [initial] = useState(() => tableViewFromQuery(query));
  const [filters, setFilters] = useState<TableFilters>(initial.filters);
  const [search, setSearch] = useState(initial.filters.q);
  const [page, setPage] = useState(initial.page);
  const [perPage, setPerPage] = useState<number>(initial.perPage);
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const tableRef = useRef<HTMLTableElement>(null);
  const ids = useId();

  // Typing in the search box waits for a pause before asking the server; only a changed search goes
  // back to page 1 (not the search the view opened with).
  const searched = useRef(initial.filters.q);
  useEffect(() => {
    if (search === searched.current) return;
    const t = setTimeout(() => {
      searched.current = search;
      setFilters((f) => ({ ...f, q: search }));
      setPage(1);
    }, 300);
    return () => clearTimeout(t);
  }, [search]);

  // The view in the address without a new history entry: Back from a patient page or a reload
  // comes back to these rows (the hash changes no route: replaceState fires no hashchange).
  useEffect(() => {
    const view = tableViewQuery({ filters, page, perPage });
    const hash = `${href('jobs', job.job_id)}${view ? `?${view}` : ''}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }, [job.job_id, filters, page, perPage]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const query = resultsQuery(filters, page, perPage);
    call(
      api.GET('/api/v1/jobs/{job_id}/results', {
        params: { path: { job_id: job.job_id }, query: query as never },
      }),
    )
      .then((r) => {
        if (!live) return;
        setData({ total: r.total, totalPages: r.total_pages, patients: r.patients });
        setError(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e instanceof ApiError ? e.message : String(e));
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [job.job_id, filters, page, perPage]);

  const set = (key: keyof TableFilters) => (e: Event) => {
    const value = (e.currentTarget as HTMLSelectElement).value;
    setFilters((f) => ({ ...f, [key]: value }));
    setPage(1);
  };
  const nations = Object.keys(job.summary?.nationality ?? {}).sort();
  const fronts = Object.keys(job.summary?.front ?? {}).sort();
  const filtered = Object.values(filters).some((v) => v) || search !== '';
  const goTo = (p: number) => {
    setPage(p);
    tableRef.current?.focus();
  };

  return (
    <section aria-labelledby="patients-title" class="patients">
      <h2 id="patients-title">Patients</h2>
      <form class="filters card" onSubmit={(e) => e.preventDefault()} aria-label="Filter patients">
        <div class="field grow">
          <label for={`${ids}-q`}>Search patients</label>
          <input
            id={`${ids}-q`}
            type="search"
            value={search}
            placeholder="Name, service number, id or uuid"
            onInput={(e) => setSearch(e.currentTarget.value)}
            maxLength={100}
          />
        </div>
        <Select id={`${ids}-triage`} label="Triage" value={filters.triage} onChange={set('triage')}>
          {TRIAGES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
        <Select id={`${ids}-status`} label="Outcome" value={filters.status} onChange={set('status')}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
          <option value="KIA,DOW">All deaths (KIA and DOW)</option>
        </Select>
        <Select id={`${ids}-nation`} label="Nation" value={filters.nationality} onChange={set('nationality')}>
          {nations.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
        <Select id={`${ids}-front`} label="Front" value={filters.front} onChange={set('front')}>
          {fronts.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </Select>
        {filtered && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              searched.current = '';
              setSearch('');
              setFilters(NO_FILTERS);
              setPage(1);
            }}
          >
            Clear filters
          </button>
        )}
      </form>

      <p class="table-status" role="status" aria-live="polite">
        {error ? (
          <span class="error">{error}</span>
        ) : data && !loading ? (
          `${formatCount(data.total)} ${filtered ? 'matching ' : ''}patient${data.total === 1 ? '' : 's'}${
            data.totalPages > 1 ? ` · page ${page} of ${formatCount(data.totalPages)}` : ''
          }`
        ) : (
          'Loading patients…'
        )}
      </p>

      <ScrollBox class="table-wrap" label="Patients table">
        <table class="patient-table" ref={tableRef} tabIndex={-1} aria-busy={loading}>
          <caption class="visually-hidden">Patients of {job.config.name}; the id opens the patient</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                ID
              </th>
              <th scope="col">Name</th>
              <th scope="col">Nation</th>
              <th scope="col">Front</th>
              <th scope="col">Injury</th>
              <th scope="col">Triage</th>
              <th scope="col">Outcome</th>
              <th scope="col" class="wrap">
                Last facility
              </th>
              <th scope="col">Care</th>
            </tr>
          </thead>
          <tbody>
            {data?.patients.map((p) => (
              <tr
                key={p.id}
                class="clickable"
                onClick={() => navigate(href('jobs', job.job_id, 'patients', p.id))}
              >
                <td class="num">
                  <a href={href('jobs', job.job_id, 'patients', p.id)} onClick={(e) => e.stopPropagation()}>
                    {p.id}
                  </a>
                </td>
                <td>
                  {p.demographics.family_name}, {p.demographics.given_name}
                </td>
                <td>{p.nationality}</td>
                <td class="wrap">{p.front}</td>
                <td class="injury">
                  {p.conditions[0]?.name ?? INJURY_LABELS[p.injury_type]}
                  <span class="muted"> · {p.body_part}</span>
                </td>
                <td>
                  <span class={`badge triage-${p.triage_category}`}>{p.triage_category}</span>
                </td>
                <td>
                  <span class={`outcome outcome-${p.status}`}>
                    {p.status === 'Remains_Role4' ? 'Role 4' : p.status}
                  </span>
                </td>
                <td>{facilityLabel(p.last_facility)}</td>
                <td class="care">
                  <CareMarks patient={p} />
                </td>
              </tr>
            ))}
            {data && data.patients.length === 0 && (
              <tr>
                <td colSpan={9} class="muted">
                  No patient matches these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollBox>

      {data && (
        <div class="pager-row">
          <nav class="pager" aria-label="Patient table pages">
            <button type="button" class="secondary" disabled={page <= 1} onClick={() => goTo(page - 1)}>
              Previous page
            </button>
            {pageWindow(page, data.totalPages).map((p, i) =>
              p === null ? (
                <span key={`gap-${i}`} class="gap" aria-hidden="true">
                  …
                </span>
              ) : (
                <button
                  key={p}
                  type="button"
                  class={p === page ? 'current' : 'secondary'}
                  aria-current={p === page ? 'page' : undefined}
                  aria-label={`Page ${p}`}
                  onClick={() => goTo(p)}
                >
                  {p}
                </button>
              ),
            )}
            <button
              type="button"
              class="secondary"
              disabled={page >= data.totalPages}
              onClick={() => goTo(page + 1)}
            >
              Next page
            </button>
          </nav>
          <label class="per-page">
            Rows per page{' '}
            <select
              value={perPage}
              onChange={(e) => {
                setPerPage(Number(e.currentTarget.value));
                setPage(1);
              }}
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
    </section>
  );
}

/**
 * Two short lines: the beds (waited, diverted) and an expectant re-triage, then the drugs and
 * allergies counted. Each mark is one unbroken piece; a line wraps between marks, never out of
 * its cell (fix 0228).
 */
function CareMarks({ patient }: { patient: PatientRecord }) {
  const f = careFlags(patient);
  return (
    <>
      {(f.waits > 0 || f.diversions > 0 || f.lastTriage === 'T4') && (
        <span class="care-line">
          {f.waits > 0 && <span class="mark mark-beds">Waited {formatHours(f.waitHours)}</span>}{' '}
          {f.diversions > 0 && <span class="mark mark-beds">Diverted</span>}{' '}
          {f.lastTriage === 'T4' && (
            <span class="mark triage-T4" title={`Re-triaged T4 (${TRIAGE_LABELS.T4})`}>
              T4
            </span>
          )}
        </span>
      )}
      <span class="care-line">
        <span class="muted">
          {f.medications} drug{f.medications === 1 ? '' : 's'}
        </span>{' '}
        {f.allergies > 0 && (
          <span class="mark mark-allergy">
            {f.allergies} allerg{f.allergies === 1 ? 'y' : 'ies'}
          </span>
        )}
      </span>
    </>
  );
}

function Select(props: {
  id: string;
  label: string;
  value: string;
  onChange: (e: Event) => void;
  children: preact.ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={props.onChange}>
        <option value="">All</option>
        {props.children}
      </select>
    </div>
  );
}
