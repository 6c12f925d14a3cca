/**
 * The scenario editor's Check panel tells the state of the scenario on screen, never the verdict on an
 * earlier one (fix 0101).
 */
import { describe, expect, it } from 'vitest';
import { signIn, useConsoleHarness } from './harness.js';

const harness = useConsoleHarness();

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
});
