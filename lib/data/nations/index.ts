export * from './nation-names.js';
