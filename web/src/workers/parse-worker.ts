/// <reference lib="webworker" />
/** Parses a patients file off the main thread (placeholder until the viewer's loader lands). */
self.onmessage = () => undefined;
