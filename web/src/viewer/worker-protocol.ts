/** Messages between the viewer page and the parse worker (web/src/workers/parse-worker.ts). */
import type { LoadProgress } from './load-patients.js';
import type { FlowIndex } from './timeline-index.js';
import type { ViewerData } from './timeline-model.js';

export type ParseRequest =
  /** A dropped or chosen file. */
  | { readonly type: 'file'; readonly file: Blob }
  /** A presigned download URL (the page asked the API for it; the API key never reaches the worker). */
  | { readonly type: 'url'; readonly url: string; readonly size: number };

export type ParseReply =
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  /** The model and its unfiltered index (built here too, so the page only renders). */
  | {
      readonly type: 'loaded';
      readonly data: ViewerData;
      readonly index: FlowIndex;
      readonly parseMs: number;
    }
  | { readonly type: 'failed'; readonly message: string };
