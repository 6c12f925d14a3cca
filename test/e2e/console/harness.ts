/**
 * Browser-test harness of the web console: the real local stack (infra/local/local-stack.ts, what `npm start`
 * runs) serving the freshly built console at `/`, Debian's Chromium driven by playwright-core, and per
 * page: a record of every console error, page error, failed request and HTTP error answer (a test
 * declares the ones it expects), axe-core, and screenshots under .ci/results/screenshots/.
 *
 * Tests find controls by role and accessible name only: the accessibility contract in README "Web console".
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { draftFromConfiguration } from '../../../web/src/pages/scenario/scenario-model.js';
import { launchChromium } from './browser.js';
import { ROOT } from './console-stack.js';
import type { ConsoleStackInfo } from './stack-process.js';

export { dropFile } from './browser.js';

export const SCREENSHOTS = resolve(ROOT, '.ci/results/screenshots');

export interface ConsoleHarness {
  /** The local stack started by the project's globalSetup (global-setup.ts). */
  readonly stack: ConsoleStackInfo;
  readonly browser: Browser;
  /** A fresh browser context (empty sessionStorage) on `path`, with problem tracking. */
  open(path?: string): Promise<TrackedPage>;
  stop(): Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const stack = inject('consoleStack');
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    stack,
    browser,
    async open(path = '/') {
      const context = await browser.newContext({
        acceptDownloads: true,
        viewport: { width: 1366, height: 900 },
      });
      contexts.push(context);
      const page = await context.newPage();
      const tracked = new TrackedPage(page, stack.url);
      await page.goto(`${stack.url}${path}`);
      return tracked;
    },
    async stop() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * The lifecycle every browser test file shares: one harness (browser) per file, and each page a test
 * opens checked for unexpected problems and closed after that test.
 */
export function useConsoleHarness(): Pick<ConsoleHarness, 'stack' | 'open'> {
  let harness: ConsoleHarness | undefined;
  let opened: TrackedPage[] = [];
  beforeAll(async () => {
    harness = await startConsoleHarness();
  });
  afterEach(async () => {
    const pages = opened;
    opened = [];
    for (const page of pages) page.assertNoProblems();
    await Promise.all(pages.map((page) => page.close()));
  });
  afterAll(async () => {
    await harness?.stop();
  });
  const started = (): ConsoleHarness => {
    if (!harness) throw new Error('the console harness is not started (use it inside a test)');
    return harness;
  };
  return {
    get stack() {
      return started().stack;
    },
    async open(path?: string) {
      const page = await started().open(path);
      opened.push(page);
      return page;
    },
  };
}

/** Something the browser reported: a console error, an uncaught error, a failed or 4xx/5xx request. */
export interface Problem {
  readonly kind: 'console' | 'pageerror' | 'requestfailed' | 'response';
  readonly text: string;
}

export class TrackedPage {
  readonly problems: Problem[] = [];
  private readonly allowed: RegExp[] = [];
  /** URLs that turned into downloads: Chromium aborts their navigation request (net::ERR_ABORTED). */
  private readonly downloads = new Set<string>();
  /** Requests sent and not yet answered or failed. */
  private readonly inFlight = new Set<unknown>();

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push({ kind: 'console', text: message.text() });
    });
    page.on('pageerror', (error) => this.problems.push({ kind: 'pageerror', text: String(error) }));
    page.on('download', (download) => this.downloads.add(download.url()));
    page.on('request', (request) => this.inFlight.add(request));
    page.on('requestfinished', (request) => this.inFlight.delete(request));
    page.on('requestfailed', (request) => this.inFlight.delete(request));
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      this.problems.push({ kind: 'requestfailed', text: `${request.method()} ${request.url()} ${failure}` });
    });
    page.on('response', (response) => {
      if (response.status() >= 400) {
        this.problems.push({
          kind: 'response',
          text: `${response.request().method()} ${response.url()} → ${response.status()}`,
        });
      }
    });
  }

  /**
   * Waits until no request has been in flight for `quietMs`. Unlike waitForLoadState('networkidle'),
   * which a hash-route page reached once at its first load, this sees the requests a page sends after
   * a sign-in or a route change, so a reload or a measurement does not race them. The quiet window is
   * longer than the scenario page's 400 ms validation debounce: a request a timer is about to send is
   * waited for too (memory/fixes/0236-settled-before-the-validation-debounce.md).
   */
  async settled(quietMs = 700, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs) {
      if (Date.now() > deadline) throw new Error(`${this.inFlight.size} requests still in flight`);
      await new Promise((r) => setTimeout(r, 50));
      if (this.inFlight.size > 0) quietSince = Date.now();
    }
  }

  /** Declares problems this test expects (matched against the problem's text), e.g. a 401 of a wrong key. */
  expectProblems(...patterns: RegExp[]): void {
    this.allowed.push(...patterns);
  }

  /**
   * Fails on any problem no test declared. A navigation that became a download is aborted by
   * Chromium (net::ERR_ABORTED): that is the download working, not a failure.
   */
  assertNoProblems(): void {
    const unexpected = this.problems.filter(
      (p) =>
        !this.allowed.some((a) => a.test(p.text)) &&
        !(p.kind === 'requestfailed' && p.text.endsWith('net::ERR_ABORTED') && this.isDownload(p.text)),
    );
    expect(unexpected, 'console errors or failed requests').toEqual([]);
  }

  private isDownload(text: string): boolean {
    return [...this.downloads].some((url) => text.includes(url));
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

// ---- accessibility --------------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(resolve(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/**
 * Runs axe-core on the page as it is now; returns the violations of impact serious or critical.
 * The source is evaluated through the DevTools protocol, not added as a <script>: the console's
 * Content-Security-Policy (rightly) refuses inline scripts.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate('typeof window.axe === "object"');
  if (!present) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
    })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(
    violations.map(
      (v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    ),
    `axe on ${what}`,
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = resolve(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// ---- steps shared by the tests ----------------------------------------------------------------------

export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByRole('textbox', { name: 'API key', exact: true }).fill(apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
}

/** The stack's API with the generate key: JSON in and out (none for a 204); an answer of 300 or more fails the test. */
export function stackApi(harness: Pick<ConsoleHarness, 'stack'>) {
  // biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field by each test
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    // Read at the call: the harness's stack exists only once its file's tests have started.
    const { stack } = harness;
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { 'X-API-Key': stack.apiKey, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return res.status === 204 ? undefined : res.json();
  };
}

/** Polls a job until it has completed (at most a minute); a job that fails or is cancelled fails the test. */
export async function untilCompleted(api: ReturnType<typeof stackApi>, jobId: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const status = (await api('GET', `/api/v1/jobs/${jobId}`)).status;
    if (status === 'completed') return;
    expect(['pending', 'queued', 'running']).toContain(status);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`job ${jobId} did not complete within a minute`);
}

/** A job of the built-in default scenario with these changes, as the API answers its submission. */
export interface DefaultScenarioJob {
  readonly total_patients: number;
  /** The scenario's name (the jobs list shows it); the default scenario's own otherwise. */
  readonly name?: string;
  /** A random seed when absent. */
  readonly seed?: number;
  readonly output_formats?: readonly string[];
}

/** Submits a job of the default scenario (not waited for); answers its id. */
export async function submitDefaultScenarioJob(
  api: ReturnType<typeof stackApi>,
  { total_patients, name, seed, output_formats = ['json'] }: DefaultScenarioJob,
): Promise<string> {
  const scenario = await api('GET', '/api/v1/configurations/default');
  const job = await api('POST', '/api/v1/generation', {
    configuration: {
      ...draftFromConfiguration(scenario),
      ...(name === undefined ? {} : { name }),
      total_patients,
    },
    ...(seed === undefined ? {} : { seed }),
    output_formats,
  });
  return job.job_id;
}

/** A completed job of the default scenario; answers its id. */
export async function completedDefaultScenarioJob(
  api: ReturnType<typeof stackApi>,
  request: DefaultScenarioJob,
): Promise<string> {
  const jobId = await submitDefaultScenarioJob(api, request);
  await untilCompleted(api, jobId);
  return jobId;
}

/**
 * The scenario on screen saved as a configuration, then as its version 2 (the Save panel's status
 * says each); answers the Save region and its status.
 */
export async function saveTwoVersions(page: Page) {
  await page.getByText('Valid scenario', { exact: true }).waitFor();
  const save = page.getByRole('region', { name: 'Save', exact: true });
  const status = save.getByRole('status');
  await save.getByRole('button', { name: 'Save configuration', exact: true }).click();
  await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/as version 1\.$/);
  await save.getByRole('button', { name: 'Save as version 2', exact: true }).click();
  await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/as version 2\.$/);
  return { save, status };
}
