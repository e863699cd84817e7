#!/usr/bin/env node
// Runs the compiled CLI; in a checkout without a build it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  let tsImport;
  try {
    ({ tsImport } = await import('tsx/esm/api'));
  } catch {
    console.error('refwatch is not built: run `npm install` (which builds it) or `npm run build`.');
    process.exit(1);
  }
  await tsImport('../src/cli/main.ts', import.meta.url);
}
