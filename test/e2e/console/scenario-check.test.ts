/**
 * The scenario editor: its Check panel tells the state of the scenario on screen, never the verdict on
 * an earlier one (fix 0101); the default scenario is there even when the planner left the page before
 * it had loaded (fix 0103). The preset hint says the presets are loading or could not be loaded, not
 * "0 presets" (fix 0112). The Save panel's "Saved … as version N" goes once another version is loaded
 * (fix 0114). A JSON view that does not parse says where (fix 0210). A saved configuration can be
 * deleted from the Save panel, after a confirmation, keeping the scenario on screen. A preset's
 * endemic diseases show, and ticking one puts it in the scenario (decision 0932).
 */
import { describe, expect, it } from 'vitest';
import {
  expectAccessible,
  saveTwoVersions,
  screenshot,
  signIn,
  stackApi,
  useConsoleHarness,
} from './harness.js';

const harness = useConsoleHarness();
const api = stackApi(harness);

describe('console scenario editor: the Check panel', () => {
  it('a scenario emptied to {} in the JSON view is not reported valid', async () => {
    // Prepare: the default scenario, checked valid
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const status = page.getByRole('region', { name: 'Check', exact: true }).getByRole('status');
    await page.getByText('Valid scenario', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'JSON', exact: true }).click();

    // Act: empty the scenario, and wait past the validation's pause after typing
    await page.getByRole('textbox', { name: 'Scenario JSON', exact: true }).fill('{}');
    await page.waitForTimeout(1500);
    await current.settled();

    // Assert
    expect(await status.textContent()).not.toBe('Valid scenario');
  });

  it('a stray word in the JSON view is reported with its line and column, tied to the text box', async () => {
    // Prepare: the default scenario, in the JSON view
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    await page.getByText('Valid scenario', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'JSON', exact: true }).click();
    const editor = page.getByRole('textbox', { name: 'Scenario JSON', exact: true });

    // Act: a typo on line 3
    await editor.fill('{\n  "name": "Typo",\n  "include_medications": tru\n}');

    // Assert: said where, tied to the text box for screen readers
    const error = page.locator('#scenario-json-error');
    await expect
      .poll(() => error.textContent())
      .toBe('Not valid JSON: unexpected "tru" at line 3, column 26');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await editor.getAttribute('aria-describedby')).toContain('scenario-json-error');
    await current.settled();
  });

  it('leaving the page before the default scenario has loaded still finds it loaded on return', async () => {
    // Prepare: the default scenario's answer held back until the planner is on the jobs page
    const current = await harness.open();
    const { page } = current;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/configurations/default', async (route) => {
      await held;
      await route.continue();
    });
    await signIn(page, harness.stack.apiKey);

    // Act: to Jobs at once, the default scenario answers there, then back to Scenario
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    release();
    await current.settled();
    await page.unroute('**/api/v1/configurations/default');
    await page.getByRole('link', { name: 'Scenario', exact: true }).click();
    await current.settled();

    // Assert
    const name = page.getByRole('textbox', { name: 'Scenario name', exact: true });
    await expect.poll(() => name.inputValue(), { timeout: 10_000 }).not.toBe('');
    expect(await page.getByText('From the default scenario').count()).toBe(1);
  });

  it('the preset hint says the presets are loading, then that they could not be loaded, never "0 presets"', async () => {
    // Prepare: the presets' answer held back, then refused
    const current = await harness.open();
    const { page } = current;
    current.expectProblems(/\/api\/v1\/presets → 503/, /status of 503/);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/presets', async (route) => {
      await held;
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Try again shortly' } }),
      });
    });
    await signIn(page, harness.stack.apiKey);
    const preset = page.getByRole('combobox', { name: 'Preset', exact: true });
    await preset.waitFor();

    // Act
    const whileLoading = await page
      .locator(`#${await preset.getAttribute('aria-describedby')}`)
      .textContent();
    release();
    await page.getByRole('alert').filter({ hasText: 'Try again shortly' }).waitFor();
    const afterFailure = await page
      .locator(`#${await preset.getAttribute('aria-describedby')}`)
      .textContent();

    // Assert
    expect([whileLoading, afterFailure]).toEqual([
      'Loading the presets…',
      'The presets could not be loaded.',
    ]);
  });

  it('the Save panel stops saying "Saved … as version 2" once version 1 is loaded', async () => {
    // Prepare: the default scenario saved as a configuration, then as its version 2
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const { save, status } = await saveTwoVersions(page);

    // Act
    await save.getByRole('button', { name: 'Load version 1', exact: true }).click();
    await save.getByText(/version 1 of 2\./).waitFor();
    await current.settled();

    // Assert
    expect(await status.textContent()).toBe('');
  });
});

describe('console scenario editor: deleting a saved configuration', () => {
  it('asks first, deletes every version, keeps the scenario on screen unsaved and puts the focus on Save configuration', async () => {
    // Prepare: a configuration saved twice, loaded in the editor
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const name = `Delete me ${Date.now()}`;
    await page.getByText('Valid scenario', { exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Scenario name', exact: true }).fill(name);
    const { save, status } = await saveTwoVersions(page);
    const saved = (await api('GET', '/api/v1/configurations?limit=100')).configurations.find(
      (c: { name: string }) => c.name === name,
    );
    const dialog = page.getByRole('dialog', { name: 'Delete this configuration?' });
    // Strings run in the page: the root tsconfig has no DOM library.
    const listed = () =>
      page.evaluate(
        `[...document.getElementById('saved-config').options].some((o) => o.value === ${JSON.stringify(saved.id)})`,
      );

    // Act: Delete, then Cancel; Delete again, and confirm
    await save.getByRole('button', { name: 'Delete configuration', exact: true }).click();
    const asked = await dialog.textContent();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    const afterCancel = await api('GET', `/api/v1/configurations/${saved.id}`);
    await save.getByRole('button', { name: 'Delete configuration', exact: true }).click();
    await dialog.getByRole('button', { name: 'Delete configuration', exact: true }).click();
    await expect.poll(() => status.textContent()).toMatch(/^Deleted /);
    await expect.poll(listed).toBe(false);
    await screenshot(page, 'scenario-configuration-deleted');
    const gone = await fetch(`${harness.stack.url}/api/v1/configurations/${saved.id}`, {
      headers: { 'X-API-Key': harness.stack.apiKey },
    });

    // Assert
    expect(asked).toContain(`“${name}” and its 2 versions will be deleted. This cannot be undone.`);
    expect(afterCancel).toMatchObject({ id: saved.id, version: 2 });
    expect(gone.status).toBe(404);
    expect(await status.textContent()).toBe(
      `Deleted “${name}” and its 2 versions. The scenario stays here, not saved; jobs that ran it keep their scenario.`,
    );
    expect(await page.getByRole('textbox', { name: 'Scenario name', exact: true }).inputValue()).toBe(name);
    expect(await save.getByRole('button', { name: 'Delete configuration' }).count()).toBe(0);
    expect(await save.getByRole('button', { name: /^Load version/ }).count()).toBe(0);
    const focused = await page.evaluate(
      `document.activeElement.closest('section').getAttribute('aria-labelledby') + ': ' + document.activeElement.textContent`,
    );
    expect(focused).toBe('sec-save: Save configuration');
  });
});

describe('console scenario editor: the Generate panel', () => {
  it('says before generating that without JSON or NDJSON the patient table and viewer cannot show the patients', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const generate = page.getByRole('region', { name: 'Generate', exact: true });
    const formats = generate.getByRole('group', { name: 'Formats', exact: true });
    const hint = generate.getByText(/^Without JSON or NDJSON/);
    await page.getByText('Valid scenario', { exact: true }).waitFor();

    // Act: CSV alone, then NDJSON added
    const withJson = await hint.count();
    await formats.getByRole('checkbox', { name: /^JSON/ }).uncheck();
    await hint.waitFor();
    const description = await formats.getAttribute('aria-describedby');
    await formats.getByRole('checkbox', { name: /^NDJSON/ }).check();
    await hint.waitFor({ state: 'detached' });

    // Assert: shown only for CSV alone, and tied to the Formats group
    expect(withJson).toBe(0);
    expect(description).toContain('gen-formats-hint');
    expect(await hint.count()).toBe(0);
  });

  it("shows a preset's endemic diseases ticked, none for a Baltic one, and a ticked one goes into the scenario", async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    const preset = page.getByRole('combobox', { name: 'Preset', exact: true });
    const patients = page.getByRole('spinbutton', { name: 'Patients', exact: true });
    const endemic = page.getByRole('group', { name: 'Endemic diseases', exact: true });
    const names = ['Malaria', 'Dengue', 'Leishmaniasis', 'Typhoid fever'];
    const ticked = async () => {
      const out: string[] = [];
      for (const name of names)
        if (await endemic.getByRole('checkbox', { name, exact: true }).isChecked()) out.push(name);
      return out;
    };
    await page.getByText('Valid scenario', { exact: true }).waitFor();

    // Act: the peacekeeping preset, then the Baltic one with Malaria ticked by hand
    await preset.selectOption({ label: 'Peacekeeping Mission' });
    await expect.poll(() => patients.inputValue()).toBe('500');
    const peacekeeping = await ticked();
    await screenshot(page, 'scenario-endemic-diseases');
    await expectAccessible(page, 'the scenario editor with endemic diseases');
    await preset.selectOption({ label: 'NATO Article 5 Defence' });
    await expect.poll(() => patients.inputValue()).toBe('2500');
    const baltic = await ticked();
    await endemic.getByRole('checkbox', { name: 'Malaria', exact: true }).check();
    await page.getByRole('tab', { name: 'JSON', exact: true }).click();
    const json = JSON.parse(
      await page.getByRole('textbox', { name: 'Scenario JSON', exact: true }).inputValue(),
    ) as { endemic_diseases?: Record<string, boolean> };

    // Assert
    expect(peacekeeping).toEqual(names);
    expect(baltic).toEqual([]);
    expect(json.endemic_diseases).toEqual({ malaria: true });
  });
});
