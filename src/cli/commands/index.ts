// Every `refwatch` command, one module each exporting `register(program, io)`.
// To add a command, add one line here: export * as <name> from './<file>.js';
export * as classify from './classify.js';
export * as evaluate from './eval.js';
export * as check from './check.js';
export * as scan from './scan.js';
export * as start from './start.js';
export * as demo from './demo.js';
export * as sources from './sources.js';
export * as targets from './targets.js';
