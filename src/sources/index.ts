// Public surface of the sources stage: fetching (fetch/), parsing and normalising (parse/),
// and article text extraction (article/). Each subfolder names its own exports.
export * from './fetch/index.js';
export * from './parse/index.js';
export * from './article/index.js';
