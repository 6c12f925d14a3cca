export * from './clinical-codes.js';
export * from './environment.js';
export * from './facilities.js';
export * from './injury-types.js';
export * from './nations/index.js';
export * from './presets.js';
export * from './tempo.js';
export * from './warfare.js';
