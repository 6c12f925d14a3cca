/**
 * Web console benchmark section, called by test/bench/run.ts (`npm run bench -- web`) or run alone:
 *
 *   node --import tsx test/bench/web.bench.ts
 *
 * In headless Chromium (Debian's, via playwright-core) against the local stack serving the freshly
 * built console (test/e2e/console/console-stack.ts):
 * - initial JavaScript and CSS of index.html, raw and gzipped (workers load later, listed apart);
 * - time to an interactive console: navigation → sign-in form usable, and Sign in → scenario page
 *   usable (presets listed, a scenario in the form, Generate enabled), median of 5 cold loads;
 * - the flow viewer (`#/viewer?bench`, window.__viewerBench): a CLI-made 10,000-patient
 *   patients.json dropped → columns shown; playback frame intervals (p50/p95/max) and per-frame
 *   script time; the same with 100,000 patients, plus the longest task (PerformanceObserver
 *   'longtask') while loading and while playing.
 *
 * Targets (README "Web console"): initial JS < 150 KB gzipped; interactive < 1 s; 10k file opened
 * < 2 s; 10k playback frame p95 < 33 ms; 100k: no long task over 200 ms.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { dropFile, launchChromium } from '../e2e/console/browser.js';
import { type ConsoleStack, ROOT, startConsoleStack } from '../e2e/console/console-stack.js';
import { formatTable } from './markdown-table.js';

const exec = promisify(execFile);

export const TARGETS = {
  initialJsGzipKb: 150,
  interactiveMs: 1000,
  open10kMs: 2000,
  frameP95Ms: 33,
  longTaskMs: 200,
} as const;

interface AssetRow {
  readonly file: string;
  readonly kind: 'initial js' | 'initial css' | 'worker js';
  readonly bytes: number;
  readonly gzipBytes: number;
}

interface TimingRow {
  readonly name: string;
  readonly runs: number[];
}

interface ViewerRow {
  readonly patients: number;
  readonly fileMb: number;
  /** Drop → columns rendered (the viewer's own `loadMs`: request → parsed model, plus the first render). */
  readonly openMs: number;
  readonly parseMs: number;
  readonly firstRenderMs: number;
  readonly frames: number;
  readonly frameP50: number;
  readonly frameP95: number;
  readonly frameMax: number;
  readonly workP95: number;
  readonly longestTaskLoadMs: number;
  readonly longestTaskPlayMs: number;
}

export interface WebBenchResult {
  /** 1-minute load average when the section started and ended, and the cores: browser timings depend on it. */
  readonly load: { readonly start: number; readonly end: number; readonly cores: number };
  readonly assets: AssetRow[];
  readonly timings: TimingRow[];
  readonly viewer: ViewerRow[];
  readonly checks: { name: string; value: string; target: string; ok: boolean }[];
}

// ---- bundle ---------------------------------------------------------------------------------------

/** What index.html loads before the console can run, and the worker bundles it starts later. */
export function measureAssets(dist: string): AssetRow[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const rows: AssetRow[] = [];
  const size = (file: string, kind: AssetRow['kind']) => {
    const bytes = readFileSync(join(dist, file));
    rows.push({ file, kind, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  };
  const initial = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="\.\/([^"]+)"/g)) initial.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\.\/([^"]+)"/g)) initial.add(m[1]);
  for (const file of initial) size(file, 'initial js');
  for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\.\/([^"]+)"/g))
    size(m[1], 'initial css');
  // Workers are named by the app bundle (scripts/build.mjs defines their hashed URLs).
  for (const file of initial) {
    const js = readFileSync(join(dist, file), 'utf8');
    for (const m of js.matchAll(/\.\/(assets\/[a-z0-9-]+-worker-[0-9a-f]+\.js)/g)) {
      if (!rows.some((r) => r.file === m[1])) size(m[1], 'worker js');
    }
  }
  return rows;
}

// ---- time to interactive --------------------------------------------------------------------------

/** In-page checks by visible label text, polled every animation frame; each returns performance.now(). */
const SIGN_IN_USABLE = `(() => {
  const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'API key');
  const input = label && label.control;
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Sign in');
  return input && !input.disabled && button && !button.disabled ? performance.now() : false;
})()`;

const SCENARIO_USABLE = `(() => {
  const control = (text) => [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === text)?.control;
  const preset = control('Preset');
  const patients = control('Patients');
  const generate = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Generate');
  return preset && !preset.disabled && preset.options.length > 1 && patients && patients.value !== '' &&
    generate && !generate.disabled ? performance.now() : false;
})()`;

/**
 * Resolves with the page's performance.now() at the first animation frame where `predicate` (an
 * expression) holds. Evaluated through the DevTools protocol: the console's CSP forbids eval, which
 * page.waitForFunction with a string needs.
 */
async function waitMs(page: Page, predicate: string, timeout = 30_000): Promise<number> {
  const script = `new Promise((resolve, reject) => {
    const until = performance.now() + ${timeout};
    const check = () => {
      const t = ${predicate};
      if (t) resolve(t);
      else if (performance.now() > until) reject(new Error('timed out'));
      else requestAnimationFrame(check);
    };
    check();
  })`;
  for (let attempt = 0; ; attempt++) {
    try {
      return (await page.evaluate(script)) as number;
    } catch (error) {
      // Right after a navigation commits, the document's context may still be replaced once.
      if (attempt < 5 && /context was destroyed|navigat/i.test(String(error))) continue;
      throw error;
    }
  }
}

async function measureInteractive(browser: Browser, stack: ConsoleStack, runs: number): Promise<TimingRow[]> {
  const signIn: number[] = [];
  const warm: number[] = [];
  const scenario: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    try {
      const page = await context.newPage();
      // Cold: a new context has an empty cache. performance.now() counts from the navigation's start.
      await page.goto(`${stack.info.url}/`, { waitUntil: 'commit' });
      signIn.push(await waitMs(page, SIGN_IN_USABLE));
      await page.getByRole('textbox', { name: 'API key', exact: true }).fill(stack.info.apiKey);
      const clicked = (await page.evaluate(`(() => {
        const t = performance.now();
        [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Sign in').click();
        return t;
      })()`)) as number;
      scenario.push((await waitMs(page, SCENARIO_USABLE)) - clicked);
      // Warm: the same tab reloaded (assets cached, still signed in).
      await page.reload({ waitUntil: 'commit' });
      warm.push(await waitMs(page, SCENARIO_USABLE));
    } finally {
      await context.close();
    }
  }
  return [
    { name: 'navigation → sign-in form usable (cold cache)', runs: signIn },
    { name: 'Sign in → scenario page usable', runs: scenario },
    { name: 'reload (signed in, cached) → scenario page usable', runs: warm },
  ];
}

// ---- viewer ---------------------------------------------------------------------------------------

async function patientsFile(dir: string, count: number): Promise<string> {
  const out = join(dir, String(count));
  await exec(
    process.execPath,
    [
      '--import',
      'tsx',
      'lib/cli/main.ts',
      'generate',
      '--preset',
      'nato_article_5',
      '--count',
      String(count),
      '--seed',
      '42',
      '--format',
      'json',
      '--out',
      out,
    ],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  return join(out, 'patients.json');
}

interface BenchHook {
  loadMs: number;
  /** Parsed model → first render with the data (performance.measure 'viewer:first-render'). */
  firstRenderMs?: number;
  patients: number;
  frameTimes: number[];
  workTimes: number[];
}

const LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
})()`;

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function longestTask(page: Page): Promise<number> {
  const tasks = (await page.evaluate('window.__longTasks.splice(0)')) as number[];
  return tasks.length ? Math.max(...tasks) : 0;
}

async function measureViewer(
  browser: Browser,
  stack: ConsoleStack,
  file: string,
  playSeconds: number,
): Promise<ViewerRow> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(LONG_TASKS);
    await page.goto(`${stack.info.url}/`);
    await page.getByRole('textbox', { name: 'API key', exact: true }).fill(stack.info.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await page.evaluate(`location.hash = '#/viewer?bench'`);
    const zone = page.getByRole('region', { name: 'Open a patients file', exact: true });
    await zone.waitFor();
    await longestTask(page);

    const dropped = (await page.evaluate('performance.now()')) as number;
    await dropFile(page, zone, file);
    const shown = await waitMs(
      page,
      `(() => [...document.querySelectorAll('h2')].some((h) => h.textContent.trim() === 'Role 4') &&
        window.__viewerBench ? performance.now() : false)()`,
      180_000,
    );
    const hook = (await page.evaluate('window.__viewerBench')) as BenchHook;
    const longestLoad = await longestTask(page);

    // Playback from the start at 3,600× (one simulated hour per second).
    const speed = page.getByRole('slider', { name: 'Speed', exact: true });
    await speed.focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await page.evaluate(
      'window.__viewerBench.frameTimes.length = 0; window.__viewerBench.workTimes.length = 0',
    );
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(playSeconds * 1000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const played = (await page.evaluate('window.__viewerBench')) as BenchHook;
    const longestPlay = await longestTask(page);
    return {
      patients: hook.patients,
      fileMb: statSync(file).size / 1e6,
      openMs: shown - dropped,
      parseMs: hook.loadMs,
      firstRenderMs: hook.firstRenderMs ?? Number.NaN,
      frames: played.frameTimes.length,
      frameP50: percentile(played.frameTimes, 50),
      frameP95: percentile(played.frameTimes, 95),
      frameMax: Math.max(...played.frameTimes),
      workP95: percentile(played.workTimes, 95),
      longestTaskLoadMs: longestLoad,
      longestTaskPlayMs: longestPlay,
    };
  } finally {
    await context.close();
  }
}

// ---- the section ----------------------------------------------------------------------------------

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');

export function printWebBench(result: WebBenchResult): void {
  console.log(
    `\nmachine: ${result.load.cores} cores, 1-minute load average ${result.load.start.toFixed(1)} at the start, ` +
      `${result.load.end.toFixed(1)} at the end (timings grow with it)`,
  );
  console.log('\n## Console assets (esbuild, minified; gzip level 9)\n');
  console.log(
    formatTable(
      ['file', 'kind', 'KB', 'KB gzipped'],
      result.assets.map((a) => [a.file, a.kind, kb(a.bytes), kb(a.gzipBytes)]),
    ),
  );
  console.log('\n## Time to an interactive console (headless Chromium, local stack; ms)\n');
  console.log(
    formatTable(
      ['step', 'median', 'min', 'max', 'runs'],
      result.timings.map((t) => [
        t.name,
        ms(percentile(t.runs, 50)),
        ms(Math.min(...t.runs)),
        ms(Math.max(...t.runs)),
        t.runs.length,
      ]),
    ),
  );
  console.log('\n## Flow viewer (CLI-made patients.json dropped; playback at 3,600×; ms)\n');
  console.log(
    formatTable(
      [
        'patients',
        'file MB',
        'drop → shown',
        'parse',
        'first render',
        'frames',
        'frame p50',
        'frame p95',
        'frame max',
        'work p95',
        'longest task load',
        'longest task play',
      ],
      result.viewer.map((v) => [
        v.patients.toLocaleString('en-GB'),
        v.fileMb.toFixed(0),
        ms(v.openMs),
        ms(v.parseMs),
        ms(v.firstRenderMs),
        v.frames,
        v.frameP50.toFixed(1),
        v.frameP95.toFixed(1),
        v.frameMax.toFixed(1),
        v.workP95.toFixed(1),
        ms(v.longestTaskLoadMs),
        ms(v.longestTaskPlayMs),
      ]),
    ),
  );
  console.log('\n## Web targets\n');
  console.log(
    formatTable(
      ['check', 'value', 'target', 'ok'],
      result.checks.map((c) => [c.name, c.value, c.target, c.ok ? 'yes' : 'NO']),
    ),
  );
}

function checks(result: Omit<WebBenchResult, 'checks' | 'load'>): WebBenchResult['checks'] {
  const initialJs = result.assets.filter((a) => a.kind === 'initial js').reduce((s, a) => s + a.gzipBytes, 0);
  const list: WebBenchResult['checks'] = [
    {
      name: 'initial JavaScript, gzipped',
      value: `${kb(initialJs)} KB`,
      target: `< ${TARGETS.initialJsGzipKb} KB`,
      ok: initialJs / 1024 < TARGETS.initialJsGzipKb,
    },
  ];
  for (const t of result.timings.slice(0, 2)) {
    const median = percentile(t.runs, 50);
    list.push({
      name: `${t.name} (median)`,
      value: `${ms(median)} ms`,
      target: `< ${TARGETS.interactiveMs} ms`,
      ok: median < TARGETS.interactiveMs,
    });
  }
  const v10k = result.viewer.find((v) => v.patients === 10_000);
  if (v10k) {
    list.push(
      {
        name: '10,000-patient file: drop → shown',
        value: `${ms(v10k.openMs)} ms`,
        target: `< ${TARGETS.open10kMs} ms`,
        ok: v10k.openMs < TARGETS.open10kMs,
      },
      {
        name: '10,000 patients: playback frame p95',
        value: `${v10k.frameP95.toFixed(1)} ms`,
        target: `< ${TARGETS.frameP95Ms} ms`,
        ok: v10k.frameP95 < TARGETS.frameP95Ms,
      },
    );
  }
  const v100k = result.viewer.find((v) => v.patients === 100_000);
  if (v100k) {
    const longest = Math.max(v100k.longestTaskLoadMs, v100k.longestTaskPlayMs);
    list.push({
      name: '100,000 patients: longest task, loading and playing',
      value: `${ms(longest)} ms`,
      target: `< ${TARGETS.longTaskMs} ms`,
      ok: longest < TARGETS.longTaskMs,
    });
  }
  return list;
}

export async function run(): Promise<WebBenchResult> {
  const loadStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'web-bench-'));
  const stackStarting = startConsoleStack();
  // The files are made by the CLI while the stack starts.
  const files = Promise.all([patientsFile(dir, 10_000), patientsFile(dir, 100_000)]);
  files.catch(() => undefined);
  let stack: ConsoleStack | undefined;
  let browser: Browser | undefined;
  try {
    stack = await stackStarting;
    const assets = measureAssets(stack.consoleDir);
    browser = await launchChromium();
    const timings = await measureInteractive(browser, stack, 5);
    const [file10k, file100k] = await files;
    const viewer = [
      await measureViewer(browser, stack, file10k, 5),
      await measureViewer(browser, stack, file100k, 5),
    ];
    const partial = { assets, timings, viewer };
    const load = { start: loadStart, end: loadavg()[0], cores: cpus().length };
    const result = { load, ...partial, checks: checks(partial) };
    printWebBench(result);
    return result;
  } finally {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  await run();
}
