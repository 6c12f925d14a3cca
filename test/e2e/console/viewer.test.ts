/**
 * The flow viewer with a file a planner already has: a CLI-made patients.json (npm run generate)
 * dropped on the viewer, parsed in a worker, played to the end; every patient accounted for; Role 4's
 * convalescing casualties counted between their discharge and their return to duty.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUtc } from '../../../web/src/viewer/playback.js';
import { ROOT } from './console-stack.js';
import { dropFile, expectAccessible, screenshot, signIn, useConsoleHarness } from './harness.js';
import { chooseWholeCourse, expectViewerTotals, playToEnd, waitForColumns } from './viewer-steps.js';

const PATIENTS = 200;
const harness = useConsoleHarness();
let dir: string;
let patientsFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'console-viewer-'));
  // The CLI, as a planner runs it: `npm run generate -- --preset … --count … --format json --out …`.
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'lib/cli/main.ts',
      'generate',
      '--preset',
      'nato_article_5',
      '--count',
      String(PATIENTS),
      '--seed',
      '7',
      '--format',
      'json',
      '--out',
      dir,
    ],
    { cwd: ROOT },
  );
  patientsFile = join(dir, 'patients.json');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh signed-in page on the Flow viewer, and its drop zone. */
async function openViewer() {
  const { page } = await harness.open();
  await signIn(page, harness.stack.apiKey);
  await page.getByRole('link', { name: 'Flow viewer', exact: true }).click();
  const dropZone = page.getByRole('region', { name: 'Open a patients file', exact: true });
  await dropZone.waitFor();
  return { page, dropZone };
}

describe('console flow viewer: a dropped patients.json', () => {
  it('a CLI-made patients.json dropped on the viewer loads, plays to the end and accounts for every patient', async () => {
    // Prepare
    const { page, dropZone } = await openViewer();
    await expectAccessible(page, 'the empty flow viewer');

    // Act
    await dropFile(page, dropZone, patientsFile);
    await waitForColumns(page);

    // Assert: loaded, every patient accepted
    await page.getByText(`${PATIENTS} patients`, { exact: false }).first().waitFor();
    const outcomes = JSON.parse(await readFile(patientsFile, 'utf8')) as {
      final_status: string;
      status?: string;
    }[];
    expect(outcomes).toHaveLength(PATIENTS);
    await expectAccessible(page, 'the flow viewer with a file');

    // Act: play to the end
    await playToEnd(page);

    // Assert: columns + tallies = the file's patients, matching the file's outcomes
    const figures = await expectViewerTotals(page, PATIENTS);
    const count = (status: string) => outcomes.filter((p) => p.final_status === status).length;
    expect(figures.kia + figures.dow).toBe(count('KIA'));
    expect(figures.rtd).toBe(count('RTD'));
    expect(figures.live).toBe(count('Remains_Role4'));
    await screenshot(page, 'viewer-file');
  });

  it('a file held for weeks under its evacuation policy opens on its casualty days, and Span shows the whole course', async () => {
    // Prepare: the preset's 7-day policy holds casualties at Role 4 for weeks after the last injury
    const { page, dropZone } = await openViewer();
    const records = JSON.parse(await readFile(patientsFile, 'utf8')) as { injury_time: string }[];
    const injuries = records.map((r) => Date.parse(r.injury_time) / 1000);
    const casualtySeconds = Math.max(...injuries) + 3 * 86_400 - Math.min(...injuries);
    const time = page.getByRole('slider', { name: 'Time', exact: true });
    const span = page.getByRole('combobox', { name: 'Span', exact: true });
    const chartTimes = page
      .getByRole('table', { name: 'Patients at each role over time' })
      .getByRole('rowheader');

    // Act
    await dropFile(page, dropZone, patientsFile);
    await waitForColumns(page);
    const opened = {
      label: await span.locator('option:checked').textContent(),
      max: await time.getAttribute('max'),
    };
    const openedChartEnd = await chartTimes.last().textContent();
    await screenshot(page, 'viewer-casualty-days');
    await chooseWholeCourse(page);

    // Assert: the slider and the chart's last time end three days after the last injury; then weeks later
    expect(opened.label).toMatch(/^Days 1–\d+ \(injuries \+ 3 days\)$/);
    expect(Number(opened.max)).toBe(casualtySeconds);
    expect(openedChartEnd).toBe(formatUtc(Math.max(...injuries) + 3 * 86_400));
    expect(Number(await time.getAttribute('max'))).toBeGreaterThan(2 * casualtySeconds);
    expect(await chartTimes.last().textContent()).not.toBe(openedChartEnd);
    await expectAccessible(page, 'the flow viewer on its whole course');
  });

  it.each([
    [
      'Role 4',
      'to convalesce (fix 0319)',
      'Role4',
      'convalescing out of hospital',
      'convalescing',
      // A minute after its first discharge: its cards show the latest arrivals first, and a day later
      // (as the test had it until generator 0.31.0) newer admissions may fill them all.
      60,
      'viewer-convalescing',
    ],
    [
      'Role 1',
      'to rest in quarters (fix 0391)',
      'Role1',
      'resting in quarters',
      'resting in quarters',
      3_600,
      'viewer-resting',
    ],
  ] as const)(
    'counts under %s the casualties it discharged %s, between their discharge and their return to duty, and says so on their cards',
    async (column, _why, facility, words, cardWords, after, shot) => {
      // Prepare: a time a while after the first discharge there, and who is discharged then
      const { page, dropZone } = await openViewer();
      type Event = { event_type: string; timestamp: string; facility: string };
      const records = JSON.parse(await readFile(patientsFile, 'utf8')) as {
        injury_time: string;
        movement_timeline: Event[];
      }[];
      const seconds = (e: Event | undefined) => (e ? Date.parse(e.timestamp) / 1000 : Number.NaN);
      const start = Math.min(...records.map((r) => Date.parse(r.injury_time) / 1000));
      const spells = records
        .map((r) => [
          seconds(r.movement_timeline.find((e) => e.event_type === 'discharge' && e.facility === facility)),
          seconds(r.movement_timeline.at(-1)),
        ])
        .filter(([from]) => !Number.isNaN(from));
      expect(spells.length).toBeGreaterThan(0);
      const offset = Math.ceil((Math.min(...spells.map(([from]) => from)) - start) / 60) * 60 + after;
      const at = start + offset;
      const discharged = spells.filter(([from, to]) => from <= at && at < to).length;
      const time = page.getByRole('slider', { name: 'Time', exact: true });

      // Act
      await dropFile(page, dropZone, patientsFile);
      await waitForColumns(page);
      await chooseWholeCourse(page);
      await time.fill(String(offset));

      // Assert
      const region = page.getByRole('region', { name: column, exact: true });
      await region.getByText(`${discharged} ${words}`, { exact: true }).waitFor();
      expect(discharged).toBeGreaterThan(0);
      const cards = await region.locator('.flow-card-kind.kind-3').allTextContents();
      expect(cards.length).toBeGreaterThan(0);
      expect(cards.filter((text) => text !== cardWords)).toEqual([]);
      await screenshot(page, shot);
    },
  );

  it('a dropped file that is not a patients file shows why, and the page keeps working', async () => {
    // Prepare
    const { page, dropZone } = await openViewer();
    const bad = join(dir, 'not-patients.json');
    await writeFile(bad, JSON.stringify({ hello: 'world' }));

    // Act
    await dropFile(page, dropZone, bad);

    // Assert
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())?.length).toBeGreaterThan(10);
    expect(await page.getByRole('heading', { name: 'POI', exact: true }).count()).toBe(0);
    await expectAccessible(page, 'the flow viewer showing an error');
  });
});
