/**
 * The medical model on the console (issue #11): a job generated with short beds, opened on the patient
 * page of a casualty who queued or was diverted, has medications and a known allergy: the health
 * course (chart and the timeline's Health column down to the death line), the wait or diversion with
 * its facility ids, a medication row, the allergy (and "No known allergies" for a patient without
 * one). Also the scenario editor's Facilities table: every field wide enough to read at 1280 and
 * 1024 px (fix 0073). Screenshots of both widths go to /tmp/console-medical/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPreset, presetScenario } from '../../../lib/generation/index.js';
import { isComplication, type PatientRecord } from '../../../web/src/pages/results/results-model.js';
import { expectAccessible, signIn, stackApi, untilCompleted, useConsoleHarness } from './harness.js';

const SHOTS = '/tmp/console-medical';
const WIDTHS = [1280, 1024] as const;
const harness = useConsoleHarness();

interface Event {
  event_type: string;
  facility: string;
  facility_id?: string;
  to_facility?: string;
  to_facility_id?: string;
  triage_category?: string;
  health: number;
}
interface Patient {
  id: number;
  injury_type: string;
  conditions: { code: string; primary: boolean; body_part: string }[];
  medications: { code: string; name: string; system: string; facility: string }[];
  allergies: { code: string; name: string }[];
  movement_timeline: Event[];
}

const api = stackApi(harness);

/** A training exercise with a mass casualty and a handful of beds per facility: queues and diversions. */
function shortBeds(): Record<string, unknown> {
  const rates = { kia_rate: 0.02, rtd_rate: 0.3 };
  return {
    ...presetScenario(findPreset('training_exercise')!),
    name: 'Short beds',
    total_patients: 400,
    special_events: { mass_casualty: true, major_offensive: true },
    facility_configs: [
      { id: 'r1', name: 'Role 1', role: 'Role1', capacity: 6, ...rates },
      { id: 'r2a', name: 'Role 2 A', role: 'Role2', capacity: 3, ...rates },
      { id: 'r2b', name: 'Role 2 B', role: 'Role2', capacity: 3, ...rates },
      { id: 'r3', name: 'Role 3', role: 'Role3', capacity: 9, ...rates },
      { id: 'r4', name: 'Role 4', role: 'Role4', capacity: 30, ...rates },
    ],
  };
}

let jobId = '';
const patients: Patient[] = [];

beforeAll(async () => {
  const job = await api('POST', '/api/v1/generation', {
    configuration: shortBeds(),
    seed: 7,
    output_formats: ['json'],
  });
  jobId = job.job_id;
  await untilCompleted(api, jobId);
  for (let page = 1; page <= 2; page++) {
    const r = await api('GET', `/api/v1/jobs/${jobId}/results?page=${page}&per_page=200`);
    patients.push(...r.patients);
  }
  expect(patients).toHaveLength(400);
}, 120_000);

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

describe('console patient page: the medical model', () => {
  it('shows the health course, the wait or diversion with facility ids, a medication row and the allergies of a patient who queued for a bed', async () => {
    // Prepare: a casualty with a wait or diversion, medications and a known allergy
    const bedEvent = (p: Patient) =>
      p.movement_timeline.find((e) => e.event_type === 'wait' || e.event_type === 'diversion');
    const patient = patients.find((p) => bedEvent(p) && p.medications.length > 0 && p.allergies.length > 0);
    expect(patient, 'a patient who queued, got drugs and has an allergy').toBeTruthy();
    const p = patient!;
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${p.id}`);
    await page.getByRole('navigation', { name: 'Other patients', exact: true }).waitFor();

    // Assert: the health course, as a chart and per event
    // An illness's course starts at its onset, an injury's at the injury (fix 0356).
    const since = p.injury_type === 'DISEASE' ? 'onset' : 'injury';
    const chart = page.getByRole('img', { name: new RegExp(`^Health course: \\d+ at ${since}`) });
    await chart.waitFor();
    expect(await page.getByText('death at 0', { exact: true }).count()).toBe(1);
    const timeline = page.getByRole('table', { name: 'Timeline', exact: true });
    // The last cell of each event row (the header row has no cells).
    const eventRows = await timeline
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .all();
    const healthColumn = await Promise.all(eventRows.map((r) => r.getByRole('cell').last().textContent()));
    expect(healthColumn.map(Number)).toEqual(p.movement_timeline.map((e) => e.health));

    // Assert: the wait or diversion names its facility ids
    const event = bedEvent(p)!;
    const row = timeline
      .getByRole('row')
      .filter({ hasText: event.event_type === 'wait' ? 'Waited' : 'Diverted' });
    expect(await row.count()).toBeGreaterThan(0);
    const text = (await row.first().textContent()) ?? '';
    expect(text).toContain(event.facility_id!);
    if (event.event_type === 'diversion') expect(text).toContain(event.to_facility_id!);

    // Assert: a medication row (name, code + system), the allergy
    const medications = page.getByRole('table', { name: 'Medications', exact: true });
    const first = p.medications[0];
    const medRow = medications.getByRole('row').filter({ hasText: first.name }).first();
    expect(await medRow.textContent()).toContain(first.code);
    expect(await medRow.textContent()).toMatch(/ATC|SNOMED CT/);
    expect(await medications.getByRole('row').count()).toBe(p.medications.length + 1);
    const allergies = page.getByRole('region', { name: 'Allergies', exact: true });
    for (const a of p.allergies) {
      expect(await allergies.getByRole('listitem').filter({ hasText: a.name }).count()).toBeGreaterThan(0);
    }
    await expectAccessible(page, 'a patient page with the medical model');
    await shoot(page, 'patient');

    // Act: a patient without allergies
    const other = patients.find((q) => q.allergies.length === 0)!;
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${other.id}`);
    await page.getByRole('heading', { name: 'Allergies', exact: true }).waitFor();

    // Assert
    await page
      .getByRole('region', { name: 'Allergies', exact: true })
      .getByText('No known allergies.', { exact: true })
      .waitFor();
  });

  it('marks a complication among the conditions and shows an expectant re-triage as T4 (expectant)', async () => {
    // Prepare: a casualty with a complication, and one re-triaged T4 (short beds in a mass casualty)
    const complicated = patients.find((p) =>
      p.conditions.some((c) => isComplication(c, p as unknown as PatientRecord)),
    );
    const expectant = patients.find((p) =>
      p.movement_timeline.some((e) => e.event_type === 'triage' && e.triage_category === 'T4'),
    );
    expect(complicated, 'a patient with a complication').toBeTruthy();
    expect(expectant, 'a patient re-triaged T4').toBeTruthy();
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${complicated!.id}`);
    const conditions = page
      .getByRole('table')
      .filter({ has: page.getByRole('columnheader', { name: 'Kind' }) });
    await conditions.waitFor();

    // Assert: the complication's row says so, the primary's says Primary
    const complication = complicated!.conditions.find((c) =>
      isComplication(c, complicated as unknown as PatientRecord),
    )!;
    const row = conditions.getByRole('row').filter({ hasText: complication.code });
    expect(await row.getByText('Complication', { exact: true }).count()).toBe(1);
    const primary = complicated!.conditions.find((c) => c.primary)!;
    expect(await conditions.getByRole('row').filter({ hasText: primary.code }).textContent()).toContain(
      'Primary',
    );
    await shoot(page, 'patient-complication');

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${expectant!.id}`);
    const timeline = page.getByRole('table', { name: 'Timeline', exact: true });
    await timeline.waitFor();

    // Assert: the new patient's page (the SPA keeps the previous one until it has loaded)
    await timeline.getByText('Re-triaged T4 (expectant)', { exact: true }).first().waitFor();
    expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).textContent()).toContain(
      `Patient ${expectant!.id}`,
    );
    await expectAccessible(page, 'a patient page with an expectant re-triage');
    await shoot(page, 'patient-expectant');
  });

  it('shows a casualty discharged from Role 4 to convalesce: the discharge in the timeline and its convalescence on the journey bar', async () => {
    // Prepare: a casualty back on duty months after a major operation (fix 0319)
    const convalescent = patients.find((p) =>
      p.movement_timeline.some((e) => e.event_type === 'discharge' && e.facility === 'Role4'),
    );
    expect(convalescent, 'a patient discharged to convalesce').toBeTruthy();
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}/patients/${convalescent!.id}`);
    const timeline = page.getByRole('table', { name: 'Timeline', exact: true });
    await timeline.getByText('Discharged to convalesce out of hospital', { exact: true }).waitFor();

    // Assert: the discharge comes before the return to duty, and the bar ends in the convalescence
    const rows = await timeline
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .allTextContents();
    const discharge = rows.findIndex((r) => r.includes('Discharged to convalesce'));
    expect(discharge).toBe(rows.length - 2);
    expect(rows.at(-1)).toContain('Returned to duty');
    const segments = page.locator('.journey .segment');
    expect(await segments.last().getAttribute('class')).toContain('seg-convalescence');
    expect(await segments.last().getAttribute('title')).toMatch(/^Convalescing after Role 4: /);
    await expectAccessible(page, 'a patient page with a discharge to convalesce');
    await shoot(page, 'patient-convalescence');
  });

  it('marks patients who waited or were diverted, and counts medications and allergies, in the patient table', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.goto(`${harness.stack.url}/#/jobs/${jobId}`);
    const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Care' }) });
    const bodyRows = table.getByRole('row').filter({ has: page.getByRole('cell') });
    await bodyRows.first().waitFor();
    await page.waitForLoadState('networkidle');

    // Assert: the first page's rows against the records
    const rows = await bodyRows.all();
    expect(rows.length).toBe(25);
    for (const [i, row] of rows.entries()) {
      const p = patients[i];
      const care = (await row.getByRole('cell').last().textContent()) ?? '';
      const queued = p.movement_timeline.some((e) => e.event_type === 'wait');
      const diverted = p.movement_timeline.some((e) => e.event_type === 'diversion');
      expect(care.includes('Waited'), `patient ${p.id}`).toBe(queued);
      expect(/diverted/i.test(care), `patient ${p.id}`).toBe(diverted);
      expect(care).toContain(`${p.medications.length} drug`);
    }
    await expectAccessible(page, 'the results page with care marks');
    mkdirSync(SHOTS, { recursive: true });
    const section = page.getByRole('region', { name: 'Patients', exact: true });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await section.screenshot({ path: `${SHOTS}/patient-table-${width}.png` });
    }
    // Every column in view at both widths: the table is no wider than its frame.
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // The table's frame: the element that scrolls it sideways.
      const [scroll, client] = await table.evaluate(
        (el: { parentElement: { scrollWidth: number; clientWidth: number } }) => [
          el.parentElement.scrollWidth,
          el.parentElement.clientWidth,
        ],
      );
      expect(scroll, `the patient table at ${width} px`).toBeLessThanOrEqual(client + 1);
    }
  });
});

describe('console scenario editor: the Facilities table', () => {
  it('shows every facility field wide enough to read its value at 1280 and 1024 px', async () => {
    // Prepare: the default scenario's facilities
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const table = page.getByRole('group', { name: 'Facilities', exact: true }).getByRole('table');
    await table.waitFor();
    await table.scrollIntoViewIfNeeded();

    for (const width of WIDTHS) {
      // Act
      await page.setViewportSize({ width, height: 900 });

      // Assert: each input or select shows its whole value (no clipped KIA or RTD rate)
      const fields = await table
        .getByRole('textbox')
        .or(table.getByRole('spinbutton'))
        .or(table.getByRole('combobox'))
        .all();
      expect(fields.length).toBeGreaterThan(10);
      const clipped: string[] = [];
      for (const field of fields) {
        const name = (await field.getAttribute('id')) ?? '';
        const fits = await field.evaluate((el: FieldElement) => {
          const doc = el.ownerDocument;
          const style = doc.defaultView.getComputedStyle(el);
          const probe = doc.createElement('span');
          probe.style.font = style.font;
          probe.style.position = 'absolute';
          probe.style.whiteSpace = 'pre';
          probe.textContent =
            el.tagName === 'SELECT' ? (el.options[el.selectedIndex]?.text ?? '') : el.value || el.placeholder;
          doc.body.append(probe);
          const text = probe.getBoundingClientRect().width;
          probe.remove();
          const room =
            el.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
          // A select's arrow and a number input's spin buttons take about 16 px of that room.
          const controls = el.tagName === 'SELECT' || el.type === 'number' ? 16 : 0;
          return { ok: room >= text + controls, room: Math.round(room), text: Math.round(text) };
        });
        if (!fits.ok) clipped.push(`${name} at ${width} px: ${fits.text} px of text in ${fits.room} px`);
      }
      mkdirSync(SHOTS, { recursive: true });
      await table.screenshot({ path: `${SHOTS}/facilities-${width}.png` });
      expect(clipped).toEqual([]);
    }
    await expectAccessible(page, 'the scenario page');
  });
});

/** The parts of the DOM the in-page check uses (the root tsconfig has no DOM library). */
interface FieldElement {
  readonly tagName: string;
  readonly value: string;
  readonly placeholder: string;
  readonly type: string;
  readonly clientWidth: number;
  readonly selectedIndex: number;
  readonly options: ArrayLike<{ readonly text: string }>;
  readonly ownerDocument: {
    createElement(tag: string): {
      style: Record<string, string>;
      textContent: string;
      getBoundingClientRect(): { width: number };
      remove(): void;
    };
    readonly body: { append(node: unknown): void };
    readonly defaultView: {
      getComputedStyle(el: unknown): { font: string; paddingLeft: string; paddingRight: string };
    };
  };
}
