/** Entry point: `bin/refwatch.js` imports this module, which runs the program on process.argv. */
import { processEnv } from '../config/index.js';
import { runScanLive } from '../../workers/scan-live.js';
import { runCli } from './program.js';

// `refwatch classify | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: processEnv(),
  cwd: process.cwd(),
  runScanLive,
});
// exitCode (not exit()) lets stdout finish flushing into a pipe.
process.exitCode = code;
