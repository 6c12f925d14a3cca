/**
 * The patient-flow viewer (#/viewer, #/viewer?job={id}): opens a patients file (dropped, chosen, or a
 * completed job's) parsed in a worker, then plays the flow POI → Role 4 over time. Per-frame work is
 * a cursor move over the timeline index (timeline-index.ts), independent of the number of patients.
 * With `bench` in the URL's query it exposes window.__viewerBench (frame times, load time).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PageProps } from '../pages';
import { FlowColumns } from './flow-columns';
import { OccupancyChart } from './occupancy-chart';
import {
  advance,
  DEFAULT_SPEED_STOP,
  formatCount,
  formatUtc,
  SPEEDS,
  scenarioDay,
  speedLabel,
  speedMeaning,
  timeSpans,
} from './playback';
import {
  buildIndex,
  columnCounts,
  type Filters,
  FlowCursor,
  type FlowIndex,
  filterMask,
  NO_FILTER,
  recentPatients,
} from './timeline-index';
import { COLUMNS, OUTCOME_LABELS, PENDING, TRIAGES, type ViewerData } from './timeline-model';
import { usePatientsFile } from './use-patients-file';
import './viewer.css';

const CARDS_PER_COLUMN = 5;
const CARD_REFRESH_MS = 250;

interface BenchHook {
  loadedAt: number;
  /** From the request (drop, choice, job link) to the parsed model, ms. */
  loadMs: number;
  /** Of which inside the parse worker, ms. */
  parseMs: number;
  /** Main-thread time from the parsed model's arrival to the first render with it (index, chart), ms. */
  firstRenderMs: number;
  patients: number;
  /** Intervals between animation frames during playback, ms. */
  frameTimes: number[];
  /** Script time of each frame's update (cursor, cards, render), ms. */
  workTimes: number[];
}

declare global {
  interface Window {
    __viewerBench?: BenchHook;
  }
}

function benchEnabled(query: URLSearchParams): boolean {
  return query.has('bench') || new URLSearchParams(location.search).has('bench');
}

function FilterSelect(props: {
  id: string;
  label: string;
  value: number;
  options: readonly string[];
  onChange: (v: number) => void;
}) {
  return (
    <div class="viewer-filter">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={String(props.value)}
        onChange={(e) => props.onChange(Number((e.currentTarget as HTMLSelectElement).value))}
      >
        <option value="-1">All</option>
        {props.options.map((o, i) => (
          <option key={o} value={String(i)}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

function sortedOptions(values: readonly string[]): { labels: string[]; ids: number[] } {
  const ids = values.map((_, i) => i).sort((a, b) => values[a].localeCompare(values[b]));
  return { labels: ids.map((i) => values[i]), ids };
}

function Player({ data, all, bench }: { data: ViewerData; all: FlowIndex; bench: boolean }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTER);
  const [time, setTime] = useState(data.start);
  const [playing, setPlaying] = useState(false);
  const [speedStop, setSpeedStop] = useState(DEFAULT_SPEED_STOP);
  const spans = useMemo(() => timeSpans(data.start, data.end, data.lastInjury), [data]);
  const [spanChoice, setSpanChoice] = useState(0);
  const end = spans[spanChoice].end;
  const speed = SPEEDS[speedStop];
  const timeRef = useRef(time);
  timeRef.current = time;
  const frameStart = useRef(0);

  const index = useMemo(() => {
    const mask = filterMask(data, filters);
    return mask === null ? all : buildIndex(data, mask);
  }, [data, all, filters]);
  const cursor = useMemo(() => new FlowCursor(index), [index]);
  cursor.seek(time);
  // Cards change at most a few times a second while playing: readable, and less layout per frame.
  const cardsRef = useRef<{ at: number; time: number; index: unknown; cards: number[][] }>({
    at: 0,
    time: Number.NaN,
    index: null,
    cards: [],
  });
  const now = performance.now();
  const cached = cardsRef.current;
  if (cached.index !== index || (cached.time !== time && (!playing || now - cached.at > CARD_REFRESH_MS))) {
    cardsRef.current = { at: now, time, index, cards: recentPatients(data, cursor, time, CARDS_PER_COLUMN) };
  }
  const cards = cardsRef.current.cards;

  const fronts = useMemo(() => sortedOptions(data.fronts), [data]);
  const nations = useMemo(() => sortedOptions(data.nations), [data]);

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let frame = 0;
    const tick = (now: number) => {
      frameStart.current = performance.now();
      const next = advance(timeRef.current, now - last, speed, end);
      if (bench && window.__viewerBench) window.__viewerBench.frameTimes.push(now - last);
      last = now;
      setTime(next);
      if (next >= end) {
        setPlaying(false);
        return;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, end, bench]);

  // A playback frame's script time: from the tick to this render committed (cursor, cards, chart marker).
  useLayoutEffect(() => {
    if (!bench || frameStart.current === 0) return;
    window.__viewerBench?.workTimes.push(performance.now() - frameStart.current);
    frameStart.current = 0;
  });

  const togglePlay = () => {
    if (!playing && timeRef.current >= end) setTime(data.start);
    setPlaying(!playing);
  };

  const setFilter = (key: keyof Filters) => (v: number) => setFilters((f) => ({ ...f, [key]: v }));
  // Filters change rarely: not re-diffed on every playback frame.
  const filterBar = useMemo(
    () => (
      <fieldset class="viewer-filters">
        <legend class="visually-hidden">Filters</legend>
        <FilterSelect
          id="viewer-front"
          label="Front"
          value={filters.front < 0 ? -1 : fronts.ids.indexOf(filters.front)}
          options={fronts.labels}
          onChange={(v) => setFilter('front')(v < 0 ? -1 : fronts.ids[v])}
        />
        <FilterSelect
          id="viewer-nation"
          label="Nation"
          value={filters.nation < 0 ? -1 : nations.ids.indexOf(filters.nation)}
          options={nations.labels}
          onChange={(v) => setFilter('nation')(v < 0 ? -1 : nations.ids[v])}
        />
        <FilterSelect
          id="viewer-triage"
          label="Triage"
          value={filters.triage}
          options={TRIAGES}
          onChange={setFilter('triage')}
        />
        <FilterSelect
          id="viewer-outcome"
          label="Outcome"
          value={filters.outcome}
          options={OUTCOME_LABELS}
          onChange={setFilter('outcome')}
        />
        <p class="viewer-shown">
          Showing {formatCount(index.total)} of {formatCount(data.count)} patients
        </p>
      </fieldset>
    ),
    [filters, fronts, nations, index.total, data.count],
  );

  const counts = cursor.counts;
  let live = 0;
  let kia = 0;
  let dow = 0;
  let rtd = 0;
  for (let c = 0; c < COLUMNS.length; c++) {
    const cc = columnCounts(counts, c);
    live += cc.live;
    kia += cc.kia;
    dow += cc.dow;
    rtd += cc.rtd;
  }
  const span = end - data.start;
  const chooseSpan = (choice: number) => {
    setSpanChoice(choice);
    if (timeRef.current > spans[choice].end) setTime(spans[choice].end);
  };

  return (
    <>
      <div class="viewer-controls card">
        <div class="viewer-buttons">
          <button type="button" class="play" onClick={togglePlay}>
            {playing ? 'Pause' : 'Play'}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setPlaying(false);
              setTime(data.start);
            }}
          >
            Back to start
          </button>
        </div>
        <div class="viewer-time">
          <label for="viewer-time">Time</label>
          <input
            id="viewer-time"
            type="range"
            min={0}
            max={span}
            step={60}
            value={time - data.start}
            aria-valuetext={`${formatUtc(time)}, ${scenarioDay(time, data.start)}`}
            onInput={(e) => setTime(data.start + Number((e.currentTarget as HTMLInputElement).value))}
          />
          <span class="viewer-clock mono">
            {formatUtc(time)} · {scenarioDay(time, data.start)}
          </span>
        </div>
        <div class="viewer-speed">
          <label for="viewer-speed">Speed</label>
          <input
            id="viewer-speed"
            type="range"
            min={0}
            max={SPEEDS.length - 1}
            step={1}
            value={speedStop}
            aria-valuetext={`${speedLabel(speed)}, ${speedMeaning(speed)}`}
            onInput={(e) => setSpeedStop(Number((e.currentTarget as HTMLInputElement).value))}
          />
          <span class="viewer-speed-value mono" title={speedMeaning(speed)}>
            {speedLabel(speed)}
          </span>
        </div>
        {spans.length > 1 && (
          <div class="viewer-span">
            <label for="viewer-span">Span</label>
            <select
              id="viewer-span"
              value={String(spanChoice)}
              onChange={(e) => chooseSpan(Number((e.currentTarget as HTMLSelectElement).value))}
            >
              {spans.map((s, i) => (
                <option key={s.label} value={String(i)}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>

      {filterBar}

      <dl class="viewer-summary" aria-label="Totals at the time shown">
        <div>
          <dt>Not yet injured</dt>
          <dd>{formatCount(counts[PENDING])}</dd>
        </div>
        <div>
          <dt>In the flow</dt>
          <dd>{formatCount(live)}</dd>
        </div>
        <div class="tally-kia">
          <dt>KIA</dt>
          <dd>{formatCount(kia)}</dd>
        </div>
        <div class="tally-dow">
          <dt>DOW</dt>
          <dd>{formatCount(dow)}</dd>
        </div>
        <div class="tally-rtd">
          <dt>RTD</dt>
          <dd>{formatCount(rtd)}</dd>
        </div>
      </dl>

      <p class="viewer-legend">
        Each column counts the patients there now: at the facility, awaiting evacuation from it, or in transit
        towards it; also those it discharged to convalesce or rest out of its beds until fit for duty. KIA,
        DOW and RTD add up over time, under the role where they happened.
      </p>
      <FlowColumns data={data} counts={counts} cards={cards} />
      <OccupancyChart index={index} start={data.start} end={end} time={time} />
    </>
  );
}

export function ViewerPage({ route }: PageProps) {
  const { state, openFile, openJob } = usePatientsFile();
  const [dragging, setDragging] = useState(false);
  const jobId = route.segments[0] === 'viewer' ? route.query.get('job') : null;
  const bench = benchEnabled(route.query);

  useEffect(() => {
    if (jobId) openJob(jobId);
  }, [jobId, openJob]);

  useLayoutEffect(() => {
    if (state.status !== 'loaded' || !state.data) return;
    // Right after the first render with the data is committed: the flow is on the page.
    performance.mark('viewer:loaded');
    const firstRender = performance.measure('viewer:first-render', 'viewer:data', 'viewer:loaded');
    if (bench) {
      window.__viewerBench = {
        loadedAt: performance.now(),
        loadMs: state.loadMs,
        parseMs: state.parseMs,
        firstRenderMs: firstRender.duration,
        patients: state.data.count,
        frameTimes: [],
        workTimes: [],
      };
    }
  }, [state, bench]);

  // A file dropped anywhere on the page opens it (the browser would otherwise navigate to the file).
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer.files[0];
      if (file) openFile(file);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    addEventListener('dragover', over);
    addEventListener('drop', drop);
    addEventListener('dragleave', leave);
    return () => {
      removeEventListener('dragover', over);
      removeEventListener('drop', drop);
      removeEventListener('dragleave', leave);
    };
  }, [openFile]);
  const progress = state.progress;
  const percent =
    progress && progress.total > 0
      ? Math.min(100, Math.round((progress.loaded / progress.total) * 100))
      : null;

  return (
    <div class="viewer">
      <h1>Patient flow</h1>
      <section
        class={`viewer-drop${dragging ? ' dragging' : ''}${state.data ? ' compact' : ''}`}
        aria-label="Open a patients file"
      >
        <p>
          Drop a <code>patients.json</code> or <code>patients.ndjson</code> file (optionally <code>.gz</code>)
          here, or
        </p>
        <label class="button viewer-open">
          Open patients file
          <input
            type="file"
            class="viewer-file"
            accept=".json,.ndjson,.gz,application/json,application/x-ndjson,application/gzip"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              if (file) openFile(file);
              input.value = '';
            }}
          />
        </label>
        {state.status === 'loaded' && state.data && (
          <p class="viewer-source">
            <strong>{state.source}</strong>: {formatCount(state.data.count)} patients, read in{' '}
            {(state.loadMs / 1000).toFixed(1)} s
            {state.data.rejected > 0 && (
              <span class="viewer-rejected">
                {' '}
                · {formatCount(state.data.rejected)} records rejected ({state.data.reasons.join('; ')}
                {state.data.rejected > state.data.reasons.length ? '; …' : ''})
              </span>
            )}
          </p>
        )}
      </section>

      {state.status === 'loading' && (
        <div class="viewer-loading">
          <p>
            Reading {state.source}
            {progress ? `: ${formatCount(progress.patients)} patients so far` : '…'}
            {percent !== null && ` (${percent} % of the file)`}
          </p>
          <progress aria-label="Reading the patients file" max={100} value={percent ?? undefined} />
        </div>
      )}
      {state.status === 'failed' && (
        <div class="viewer-error" role="alert">
          <strong>{state.source} could not be opened.</strong> {state.error}
        </div>
      )}
      {state.status === 'idle' && (
        <p class="muted">
          Or open a completed job's timeline from the Jobs page. Patients move from the point of injury
          through Role 1 to Role 4; play the scenario at up to 86,400× real time (a day per second).
        </p>
      )}
      {state.data && state.index && (
        <Player key={`${state.source}:${state.loadMs}`} data={state.data} all={state.index} bench={bench} />
      )}
    </div>
  );
}
