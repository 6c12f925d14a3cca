/** The contract every output format implements: a streaming transform from patient records to bytes. */
import type { Transform } from 'node:stream';
import type { EventPlan } from '../generation/index.js';

export interface FormatOptions {
  /** The job's plan: scenario, seed and patient count, for headers, manifests and provenance. */
  readonly plan: EventPlan;
}

export interface FormatSpec {
  readonly format: string;
  /** File name inside a job's output, e.g. "patients.json". */
  readonly fileName: string;
  readonly contentType: string;
  /**
   * A Transform whose writable side takes PatientRecord objects in index order (objectMode) and whose
   * readable side emits Buffers. Header and footer bytes, if any, come from the transform itself, so
   * an empty job still gives a valid document. It must respect backpressure and keep memory flat.
   */
  createStream(options: FormatOptions): Transform;
}
