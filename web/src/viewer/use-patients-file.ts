/**
 * Loads a patients file into the viewer through the parse worker: a dropped or chosen file, or a
 * completed job's NDJSON (else JSON) file through a presigned link the page asks the API for.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, call, type Job } from '../api';
import type { LoadProgress } from './load-patients';
import type { FlowIndex } from './timeline-index';
import type { ViewerData } from './timeline-model';
import type { ParseReply, ParseRequest } from './worker-protocol';

export interface LoadState {
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  readonly source: string;
  readonly progress: LoadProgress | null;
  readonly data: ViewerData | null;
  /** The unfiltered index, built by the worker. */
  readonly index: FlowIndex | null;
  readonly error: string | null;
  /** Wall time from the request to the parsed model, ms. */
  readonly loadMs: number;
  /** Of which inside the worker (read, parse, index), ms. */
  readonly parseMs: number;
}

const IDLE: LoadState = {
  status: 'idle',
  source: '',
  progress: null,
  data: null,
  index: null,
  error: null,
  loadMs: 0,
  parseMs: 0,
};

/** The job's file the viewer can read: NDJSON first (no array to track), else JSON. */
export function viewerFormat(job: Job): 'ndjson' | 'json' | null {
  if (job.status !== 'completed') return null;
  const formats = new Set(job.output_files.map((f) => f.format));
  if (formats.has('ndjson')) return 'ndjson';
  if (formats.has('json')) return 'json';
  return null;
}

function startWorker(): Worker {
  return new Worker(__WORKER_PARSE_WORKER__, { type: 'module', name: 'parse-worker' });
}

export function usePatientsFile(): {
  state: LoadState;
  openFile: (file: File) => void;
  openJob: (jobId: string) => void;
} {
  const [state, setState] = useState<LoadState>(IDLE);
  const worker = useRef<Worker | null>(null);
  // A worker started (fetched and compiled) while the planner picks a file, so the load starts at once.
  const spare = useRef<Worker | null>(null);
  const generation = useRef(0);

  useEffect(() => {
    spare.current = startWorker();
    return () => {
      worker.current?.terminate();
      spare.current?.terminate();
    };
  }, []);

  const start = useCallback((source: string): number => {
    worker.current?.terminate();
    worker.current = null;
    generation.current++;
    setState({ ...IDLE, status: 'loading', source });
    return generation.current;
  }, []);

  const parse = useCallback((ticket: number, source: string, request: ParseRequest) => {
    const started = performance.now();
    const w = spare.current ?? startWorker();
    spare.current = null;
    worker.current = w;
    w.onmessage = (event: MessageEvent<ParseReply>) => {
      if (ticket !== generation.current) return;
      const reply = event.data;
      if (reply.type === 'progress') {
        setState((s) => ({ ...s, progress: reply.progress }));
        return;
      }
      w.terminate();
      if (worker.current === w) worker.current = null;
      spare.current ??= startWorker();
      if (reply.type === 'loaded') {
        performance.mark('viewer:data');
        setState({
          status: 'loaded',
          source,
          progress: null,
          data: reply.data,
          index: reply.index,
          error: null,
          loadMs: performance.now() - started,
          parseMs: reply.parseMs,
        });
      } else {
        setState({ ...IDLE, status: 'failed', source, error: reply.message });
      }
    };
    w.onerror = (event) => {
      if (ticket !== generation.current) return;
      setState({ ...IDLE, status: 'failed', source, error: `The file reader stopped: ${event.message}` });
    };
    w.postMessage(request);
  }, []);

  const openFile = useCallback(
    (file: File) => {
      const ticket = start(file.name);
      parse(ticket, file.name, { type: 'file', file });
    },
    [start, parse],
  );

  const openJob = useCallback(
    (jobId: string) => {
      const source = `job ${jobId}`;
      const ticket = start(source);
      const fail = (error: string) => {
        if (ticket === generation.current) setState({ ...IDLE, status: 'failed', source, error });
      };
      (async () => {
        const job = await call(api.GET('/api/v1/jobs/{job_id}', { params: { path: { job_id: jobId } } }));
        if (job.status !== 'completed') {
          fail(`Job ${jobId} is ${job.status}: the viewer opens completed jobs.`);
          return;
        }
        const format = viewerFormat(job);
        if (format === null) {
          fail(
            `Job ${jobId} has no JSON or NDJSON file: generate with the json or ndjson format to view it here.`,
          );
          return;
        }
        const link = await call(
          api.GET('/api/v1/downloads/{job_id}', {
            params: { path: { job_id: jobId }, query: { format, redirect: 'false' } },
          }),
        );
        if (ticket !== generation.current) return;
        parse(ticket, `${link.file_name} of job ${jobId}`, {
          type: 'url',
          url: link.url,
          size: link.size_bytes,
        });
      })().catch((error: unknown) =>
        fail(error instanceof ApiError ? error.message : `The job could not be opened: ${String(error)}`),
      );
    },
    [start, parse],
  );

  return { state, openFile, openJob };
}
