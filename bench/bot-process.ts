/**
 * Runs the bot under test as its own `node` process from the compiled output, so that what is
 * measured is the bot alone: not tsx (which runs the benchmark's TypeScript), not the feed
 * server or the fake Discord (their own processes), not the benchmark's bookkeeping.
 *
 * {@link buildBot} runs the project build (`tsc -p tsconfig.build.json`, as `npm run build`) and
 * transpiles bot-agent.ts and child.ts next to it (`dist/bench/`), where their `../workers/…`
 * and `../src/…` imports are the built files. {@link startBotProcess} forks the agent with no
 * Node flags; memory is read from `/proc/<pid>/status` (VmRSS, and VmHWM for the true peak).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentOps, AgentStart } from './bot-agent.js';
import { forkChild, type ChildHandle } from './child.js';
import { readProcMemory, type ProcMemory } from './measure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
/** Bench files the bot's process needs, transpiled into dist/bench/. */
const AGENT_FILES = ['bot-agent.ts', 'child.ts'];
const AGENT_ENTRY = path.join(DIST, 'bench', 'bot-agent.js');

/** What {@link buildBot} did. */
export interface BuildResult {
  seconds: number;
  /** Type errors tsc reported (it still emits); the first few lines, for the log. */
  warnings: string[];
}

/** Runs the build and transpiles the agent; throws when dist/workers/main.js is missing afterwards. */
export async function buildBot(options: { skipTsc?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const warnings: string[] = [];
  const require = createRequire(import.meta.url);
  if (!options.skipTsc) {
    const tsc = require.resolve('typescript/bin/tsc');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (exit) => resolve({ code: exit, output: text }));
    });
    // tsc emits despite type errors; another engineer's half-done change should not stop the benchmark.
    if (code !== 0)
      warnings.push(
        ...output
          .split('\n')
          .filter((line) => line.trim() !== '')
          .slice(0, 5),
      );
  }
  if (!existsSync(path.join(DIST, 'workers', 'main.js'))) {
    throw new Error(`dist/workers/main.js is missing after the build; run "npm run build" and fix what it reports`);
  }
  const ts = (await import('typescript')).default;
  mkdirSync(path.dirname(AGENT_ENTRY), { recursive: true });
  for (const file of AGENT_FILES) {
    const source = readFileSync(path.join(ROOT, 'bench', file), 'utf8');
    const out = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    writeFileSync(path.join(DIST, 'bench', file.replace(/\.ts$/, '.js')), out.outputText);
  }
  return { seconds: Math.round((performance.now() - started) / 10) / 100, warnings };
}

/** The running bot process. */
export interface BotProcess {
  readonly pid: number;
  /** How the process was started (node binary, flags, entry), for the report. */
  readonly startedWith: string;
  readonly bootSeconds: number;
  readonly redisUrl: string;
  readonly embeddedRedis: boolean;
  readonly defaultPerHost: number;
  /** RSS (bytes) once the bot's modules were loaded, before `startBot`; undefined off Linux. */
  readonly rssBeforeStart: number | undefined;
  agent: ChildHandle<AgentOps, { pid: number }>;
  /** From /proc; undefined off Linux or once the process is gone. */
  memory(): ProcMemory | undefined;
  /** Stops the bot gracefully, then the process. */
  stop(): Promise<void>;
}

/** Environment for the bot: the parent's, minus anything that would load tsx into it. */
function botEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.NODE_OPTIONS?.includes('tsx')) delete env.NODE_OPTIONS;
  return env;
}

/** Forks the compiled agent with plain `node` and starts the bot in it (call {@link buildBot} first). */
export async function startBotProcess(args: AgentStart): Promise<BotProcess> {
  if (!existsSync(AGENT_ENTRY)) throw new Error(`${path.relative(ROOT, AGENT_ENTRY)} is missing; buildBot() must run first`);
  const agent = await forkChild<AgentOps, { pid: number }>(AGENT_ENTRY, { name: 'bot', execArgv: [], env: botEnv() });
  try {
    const rssBeforeStart = readProcMemory(agent.pid)?.rss;
    const started = await agent.callWithin(120_000, 'start', args);
    return {
      pid: agent.pid,
      rssBeforeStart,
      ...started,
      agent,
      memory: () => readProcMemory(agent.pid),
      async stop() {
        await agent.callWithin(30_000, 'stop').catch(() => undefined);
        await agent.close();
      },
    };
  } catch (error) {
    await agent.close();
    throw error;
  }
}
