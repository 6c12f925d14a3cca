/** Hashed worker URLs, defined by scripts/build.mjs. */
declare const __WORKER_PARSE_WORKER__: string;
