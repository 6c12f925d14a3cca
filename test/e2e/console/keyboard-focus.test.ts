/**
 * The console by keyboard alone: after an action the focus stays on, or moves to, something sensible,
 * never to the document's start, where the next Tab starts over at the top or leaves the page and a
 * screen reader says nothing. A control kept busy stays focused (fix 0120); a control an action
 * removes hands the focus to what took its place (fix 0121), in the scenario form's lists too (fix
 * 0124), on the patient pages (fixes 0125, 0352), in the Save panel's versions (fix 0126) and after Load more
 * (fix 0127). The focus ring is seen on every page (fix 0122), and so is the skip link's text (fix 0123).
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { draftFromConfiguration } from '../../../web/src/pages/scenario/scenario-model.js';
import {
  completedDefaultScenarioJob,
  saveTwoVersions,
  screenshot,
  signIn,
  stackApi,
  submitDefaultScenarioJob,
  untilCompleted,
  useConsoleHarness,
} from './harness.js';

const harness = useConsoleHarness();
const api = stackApi(harness);

/** Whether `locator` is the focused element. */
function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el: unknown) => {
    const doc = (el as { ownerDocument: { activeElement: unknown } }).ownerDocument;
    return doc.activeElement === el;
  });
}

/** The focused element, described for a failure message: tag, id and the first words of its text. */
function focusedElement(page: Page): Promise<string> {
  return page.evaluate(
    `(() => { const e = document.activeElement;
      return e ? e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent ?? '').trim().slice(0, 40) : 'none'; })()`,
  ) as Promise<string>;
}

/** A completed job with its own name, so the jobs list can be read by name. */
const completedJob = (name: string) =>
  completedDefaultScenarioJob(api, { name, total_patients: 10, seed: 3 });

describe('console focus after keyboard actions (busy controls, fix 0120)', () => {
  it('a wrong key sent with the Sign in button leaves the focus on Sign in beside the error', async () => {
    // Prepare: Tab to the key field, type a wrong key, Tab to Sign in
    const current = await harness.open();
    const { page } = current;
    current.expectProblems(/\/api\/v1\/jobs\S* → 401/, /status of 401/);
    const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
    await page.getByRole('textbox', { name: 'API key', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('mmpg_local_wrong_0000000000000000');
    await page.keyboard.press('Tab');

    // Act
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();

    // Assert: still on Sign in (the button disabled while checking dropped the focus to the page)
    expect(await isFocused(signInButton), await focusedElement(page)).toBe(true);
  });

  it('arrow keys in the Preset list load preset after preset, the focus staying in the list', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    const presets = (await api('GET', '/api/v1/presets')).presets as { name: string }[];
    await signIn(page, harness.stack.apiKey);
    const preset = page.getByRole('combobox', { name: 'Preset', exact: true });
    await page.getByText(`${presets.length} presets:`).waitFor();
    await current.settled();
    await preset.focus();
    const origin = page.getByText(/^From /);
    const focusAfter: boolean[] = [];

    // Act: ArrowDown twice, each loading the next preset
    for (const { name } of presets.slice(0, 2)) {
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => origin.textContent(), { timeout: 10_000 }).toBe(`From preset “${name}”`);
      await current.settled();
      focusAfter.push(await isFocused(preset));
    }

    // Assert: the list kept the focus both times (it was disabled while loading and dropped it)
    expect(focusAfter).toEqual([true, true]);
  });
});

describe('console focus after keyboard actions (removed controls, fix 0121)', () => {
  beforeAll(async () => {
    // A completed job for the Results test, found by its name.
    await completedJob('Focus kept job');
  }, 120_000);

  it('Generate pressed by keyboard puts the focus on the new job in the jobs list', async () => {
    // Prepare: a 10-patient default scenario, Generate focused
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.getByText('Valid scenario').waitFor();
    await page.getByRole('spinbutton', { name: 'Patients', exact: true }).fill('10');
    await current.settled();
    await page.getByRole('button', { name: 'Generate', exact: true }).focus();

    // Act
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/jobs\?job=/);
    const jobId = new URL(page.url().replace('#/', '')).searchParams.get('job') ?? '';
    const heading = page.locator(`[id="job-${jobId}-name"]`);
    await heading.waitFor();
    await current.settled();

    // Assert: on the new job's heading, and Tab goes on into its card
    expect(await isFocused(heading), await focusedElement(page)).toBe(true);
    await untilCompleted(api, jobId);
    await screenshot(page, 'keyboard-after-generate');
  });

  it('Cancel pressed by keyboard leaves the focus on the cancelled job', async () => {
    // Prepare: a job big enough to be cancelled while it runs
    const current = await harness.open();
    const { page } = current;
    const jobId = await submitDefaultScenarioJob(api, {
      name: 'Focus cancelled job',
      total_patients: 200_000,
    });
    await signIn(page, harness.stack.apiKey);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const cancel = page.getByRole('button', { name: 'Cancel job Focus cancelled job', exact: true });
    await cancel.focus();

    // Act
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Same seed again: Focus cancelled job', exact: true }).waitFor();
    await current.settled();

    // Assert: the job's heading has the focus (Cancel, gone with the running job, dropped it)
    const heading = page.locator(`[id="job-${jobId}-name"]`);
    expect(await isFocused(heading), await focusedElement(page)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toContain('Same seed again');
  });

  it('Delete confirmed by keyboard moves the focus to the job now in its place', async () => {
    // Prepare: the job to delete, newest first, so the one after it takes its place
    const current = await harness.open();
    const { page } = current;
    const deleted = await completedJob('Focus deleted job');
    const jobs = (await api('GET', '/api/v1/jobs?limit=20')).jobs as { job_id: string }[];
    const after = jobs[jobs.findIndex((j) => j.job_id === deleted) + 1];
    await signIn(page, harness.stack.apiKey);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.locator(`[id="job-${deleted}-name"]`).waitFor();
    await page
      .getByRole('listitem')
      .filter({ has: page.locator(`[id="job-${deleted}-name"]`) })
      .getByRole('button', { name: /^Delete job/ })
      .focus();

    // Act: Enter opens the dialog (Cancel focused), Tab to "Delete job", Enter
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Delete this job?' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator(`[id="job-${deleted}-name"]`).waitFor({ state: 'detached' });
    await current.settled();

    // Assert
    expect(after, 'a job listed after the deleted one').toBeDefined();
    const heading = page.locator(`[id="job-${after?.job_id}-name"]`);
    expect(await isFocused(heading), await focusedElement(page)).toBe(true);
  });

  it('Results opened by keyboard puts the focus in the results page, not on the document', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const card = page.getByRole('listitem').filter({ hasText: 'Focus kept job' });
    await card.getByRole('link', { name: 'Results', exact: true }).focus();

    // Act
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Results: Focus kept job' }).waitFor();
    const focused = await focusedElement(page);
    await page.keyboard.press('Tab');

    // Assert: the main region has it, and Tab goes on to the page's first link
    expect(focused).toMatch(/^MAIN#main/);
    expect(await focusedElement(page)).toMatch(/^A Jobs/);
  });
});

describe('console focus after removing a row of the scenario form (fix 0124)', () => {
  it('Remove pressed by keyboard on the last nation, front and facility moves the focus to the row above', async () => {
    // Prepare: the default scenario (fronts Poland, Estonia, Finland; facilities Role 1 to Role 4)
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.getByText('Valid scenario').waitFor();
    const removals = [
      ['Remove nation 2 of Finland Front', 'Remove nation 1 of Finland Front'],
      ['Remove front Finland Front', 'Remove front Estonia Front'],
      ['Remove Role 4', 'Remove Role 3'],
    ] as const;
    const focusedAfter: string[] = [];

    // Act: each Remove focused and pressed with Enter
    for (const [remove] of removals) {
      await page.getByRole('button', { name: remove, exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: remove, exact: true }).waitFor({ state: 'detached' });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      focusedAfter.push(
        (await page.evaluate(
          "document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName",
        )) as string,
      );
    }

    // Assert: on the Remove button of the row now last, not on the document (BODY)
    expect(focusedAfter).toEqual(removals.map(([, next]) => next));
  });
});

describe('console focus in the Save panel (fix 0126)', () => {
  it("Load version pressed by keyboard keeps the focus on that version's button, now saying it is loaded", async () => {
    // Prepare: the default scenario saved as version 1, then 2 (version 2 loaded)
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const { save } = await saveTwoVersions(page);
    await save.getByRole('button', { name: 'Load version 1', exact: true }).focus();

    // Act
    await page.keyboard.press('Enter');
    await save.getByText(/version 1 of 2\./).waitFor();
    await current.settled();

    // Assert: still on version 1's button (a "loaded" text replaced it and the focus went to BODY)
    expect(await focusedElement(page)).toBe('BUTTON Loaded');
    expect(await isFocused(save.getByRole('button', { name: 'Version 1 is loaded', exact: true }))).toBe(
      true,
    );
  });
});

describe('console focus after Load more on the jobs page (fix 0127)', () => {
  it('Load more pressed by keyboard puts the focus on the first job it added', async () => {
    // Prepare: more jobs than one page (20) holds
    const current = await harness.open();
    const { page } = current;
    const scenario = await api('GET', '/api/v1/configurations/default');
    const made: string[] = [];
    for (let i = 0; i < 21; i++) {
      const job = await api('POST', '/api/v1/generation', {
        configuration: {
          ...draftFromConfiguration(scenario),
          name: `Focus page job ${i}`,
          total_patients: 5,
        },
        seed: i,
        output_formats: ['json'],
      });
      made.push(job.job_id);
    }
    for (const jobId of made) await untilCompleted(api, jobId);
    const first = await api('GET', '/api/v1/jobs?limit=20');
    const second = await api('GET', `/api/v1/jobs?limit=20&cursor=${encodeURIComponent(first.next_cursor)}`);
    const firstAdded = second.jobs[0].job_id as string;
    await signIn(page, harness.stack.apiKey);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('button', { name: 'Load more', exact: true }).focus();

    // Act
    await page.keyboard.press('Enter');
    const heading = page.locator(`[id="job-${firstAdded}-name"]`);
    await heading.waitFor();
    await current.settled();

    // Assert: there, not on the document (the last page took Load more away) nor left on Load more
    expect(await isFocused(heading), await focusedElement(page)).toBe(true);
  }, 120_000);
});

/** A job's patient page headings (the patient's name), by patient id: the first ten. */
async function patientHeadings(jobId: string): Promise<(id: number) => string> {
  const patients = (await api('GET', `/api/v1/jobs/${jobId}/results?page=1&per_page=10`)).patients as {
    demographics: { given_name: string; family_name: string };
  }[];
  return (id) => `${patients[id]?.demographics.given_name} ${patients[id]?.demographics.family_name}`;
}

describe('console focus on the patient pages (fixes 0125, 0352)', () => {
  it('Next patient pressed with Enter again and again walks the patients, the focus staying on the link', async () => {
    // Prepare: patient 1 of a 10-patient job
    const current = await harness.open();
    const { page } = current;
    const jobId = await completedJob('Focus patients job');
    const heading = await patientHeadings(jobId);
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/1`);
    await page.getByRole('heading', { level: 1, name: heading(1) }).waitFor();
    const focusedAfter: string[] = [];

    // Act: Next patient focused, Enter twice; then Previous patient back to patient 0
    await page.getByRole('link', { name: 'Next patient', exact: true }).focus();
    for (const i of [2, 3]) {
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: heading(i) }).waitFor();
      await current.settled();
      focusedAfter.push(await focusedElement(page));
      // With the focus lost, the next Enter would go nowhere.
      if (!focusedAfter.at(-1)?.startsWith('A#patient-next')) break;
    }
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/1`);
    await page.getByRole('heading', { level: 1, name: heading(1) }).waitFor();
    await page.getByRole('link', { name: 'Previous patient', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: heading(0) }).waitFor();
    await current.settled();
    focusedAfter.push(await focusedElement(page));

    // Assert: on Next patient each time (patient 0 has no Previous), not on the document (BODY)
    expect(focusedAfter).toEqual([
      'A#patient-next Next patient',
      'A#patient-next Next patient',
      'A#patient-next Next patient',
    ]);
  });

  it('Previous patient pressed the moment its page appears, before the page settles, still leaves the focus on a patient link (fix 0352)', async () => {
    // Prepare: patient 1 of a 10-patient job, opened from patient 3; a watcher in the page presses
    // Previous patient (focus, then click: what Enter does) as soon as patient 1's heading is drawn,
    // before the browser has run the page's effects, as a fast hand or a loaded machine does.
    const current = await harness.open();
    const { page } = current;
    const jobId = await completedJob('Focus fast patients job');
    const heading = await patientHeadings(jobId);
    await signIn(page, harness.stack.apiKey);
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/3`);
    await page.getByRole('heading', { level: 1, name: heading(3) }).waitFor();
    await page.evaluate(`(() => {
      const watcher = new MutationObserver(() => {
        const link = document.getElementById('patient-previous');
        if (document.querySelector('h1')?.textContent?.trim() !== ${JSON.stringify(heading(1))} || !link) return;
        watcher.disconnect();
        link.focus();
        link.click();
      });
      watcher.observe(document.body, { childList: true, subtree: true, characterData: true });
    })()`);

    // Act: open patient 1; the watcher takes it on to patient 0 at once
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/1`);
    await page.getByRole('heading', { level: 1, name: heading(0) }).waitFor();
    await current.settled();

    // Assert: on Next patient (patient 0 has no Previous), not on the main region or the document
    expect(await focusedElement(page)).toBe('A#patient-next Next patient');
  });
});

/** A CSS colour as [r, g, b, alpha]. */
type Rgba = [number, number, number, number];

function parseColor(css: string): Rgba {
  const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, a];
}

/** WCAG relative luminance and contrast ratio. */
function contrast(a: Rgba, b: Rgba): number {
  const lum = ([r, g, b]: Rgba) => {
    const c = [r, g, b].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The focused element's ring: its outline (or, for the viewer's invisible file input, its label's
 * outline), and the colours where the ring is drawn: what is shown just below the element (else just
 * above it), from the first opaque background of that spot's element and its ancestors, translucent
 * ones laid over it.
 */
const RING = `(() => {
  let e = document.activeElement;
  if (!e || e === document.body) return null;
  if (getComputedStyle(e).opacity === '0') e = e.parentElement;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const gap = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth) / 2;
  const x = r.left + r.width / 2;
  const spot = [r.bottom + gap, r.top - gap]
    .filter((y) => y >= 0 && y < innerHeight)
    .map((y) => document.elementsFromPoint(x, y).find((hit) => hit !== e && !e.contains(hit)))
    .find(Boolean) ?? e.parentElement;
  const layers = [];
  for (let p = spot; p; p = p.parentElement) {
    const bg = getComputedStyle(p).backgroundColor;
    layers.push(bg);
    if (!/rgba\\(.*, 0(\\.\\d+)?\\)$/.test(bg)) break;
  }
  return {
    name: e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 30),
    style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, layers,
  };
})()`;

interface Ring {
  readonly name: string;
  readonly style: string;
  readonly width: number;
  readonly color: string;
  readonly layers: readonly string[];
}

/** The colour behind the ring: the last (opaque) layer with the translucent ones above it blended in. */
function behind(layers: readonly string[]): Rgba {
  const colors = layers.map(parseColor).reverse();
  let base: Rgba = colors[0] && colors[0][3] === 1 ? colors[0] : [255, 255, 255, 1];
  for (const [r, g, b, a] of colors.slice(1)) {
    base = [r * a + base[0] * (1 - a), g * a + base[1] * (1 - a), b * a + base[2] * (1 - a), 1];
  }
  return base;
}

describe('console focus ring (fix 0122) and skip link (fix 0123)', () => {
  let jobId = '';
  beforeAll(async () => {
    jobId = await completedJob('Focus ring job');
  }, 120_000);

  it('every focus stop on every page shows a ring with 3:1 contrast against what is around it', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const pages = [
      '#/scenario',
      '#/jobs',
      `#/jobs/${jobId}`,
      `#/jobs/${jobId}/patients/0`,
      `#/viewer?job=${encodeURIComponent(jobId)}`,
    ];
    const weak: string[] = [];
    let stops = 0;

    // Act: Tab from each page's start (skip link, navigation) through its first 45 stops
    for (const hash of pages) {
      // A load, not a hash change: the first Tab starts at the document's start.
      await page.goto(`${harness.stack.url}/${hash}`);
      await current.settled();
      await page.reload();
      await current.settled();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      for (let i = 0; i < 45; i++) {
        await page.keyboard.press('Tab');
        const ring = (await page.evaluate(RING)) as Ring | null;
        if (!ring) break;
        stops++;
        const ratio = contrast(parseColor(ring.color), behind(ring.layers));
        if (ring.style === 'none' || ring.width < 2 || ratio < 3) {
          weak.push(
            `${hash} ${ring.name}: ${ring.style} ${ring.width}px ${ring.color}, ${ratio.toFixed(2)}:1`,
          );
        }
      }
    }
    await screenshot(page, 'keyboard-focus-ring');

    // Assert
    expect(stops).toBeGreaterThan(60);
    expect(weak).toEqual([]);
  });

  it('"Skip to content" is readable when the first Tab shows it', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await current.settled();

    // Act
    await page.keyboard.press('Tab');
    const skip = page.getByRole('button', { name: 'Skip to content', exact: true });
    const colors = (await skip.evaluate((el: unknown) => {
      const s = (
        el as { ownerDocument: { defaultView: { getComputedStyle(e: unknown): Record<string, string> } } }
      ).ownerDocument.defaultView.getComputedStyle(el);
      return { color: s.color ?? '', background: s.backgroundColor ?? '' };
    })) as { color: string; background: string };
    await screenshot(page, 'keyboard-skip-link');

    // Assert: focused, and its text at least 4.5:1 on its box (it was white on white)
    expect(await isFocused(skip)).toBe(true);
    expect(contrast(parseColor(colors.color), parseColor(colors.background))).toBeGreaterThanOrEqual(4.5);
  });
});
