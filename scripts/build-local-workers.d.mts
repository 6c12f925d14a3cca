// Types of scripts/build-local-workers.mjs for the TypeScript that imports it (infra/local, test).
import type { BuildOptions } from 'esbuild';

export declare const LOCAL_DIST: string;
export declare const LAMBDA_ESBUILD_OPTIONS: Readonly<BuildOptions>;
export declare function ensureLocalWorkerBundles(entries: readonly string[]): Promise<string[]>;
