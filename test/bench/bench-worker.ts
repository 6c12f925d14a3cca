/**
 * Runs a benchmark worker in a fresh child process (so its peak RSS is its own) and reads back the
 * one JSON line it prints. By default the worker runs as an esbuild bundle on plain node, as the
 * Lambda handlers do; `runnerEnv=tsx` runs the source through tsx instead.
 */
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

export interface WorkerCommand {
  readonly args: string[];
  readonly runner: string;
}

export async function workerCommand(worker: string, dir: string, runnerEnv: string): Promise<WorkerCommand> {
  if (process.env[runnerEnv] === 'tsx') return { args: ['--import', 'tsx', worker], runner: 'tsx' };
  const outfile = join(dir, basename(worker).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [worker],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return { args: [outfile], runner: 'esbuild bundle' };
}

export function runWorker<T>(args: readonly string[], ...workerArgs: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, ...workerArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line) reject(new Error(`bench worker ${workerArgs.join(' ')} exited with ${code}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}
