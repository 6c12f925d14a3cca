/**
 * An address of the console that names no page (a mistyped or outdated link): the console says so
 * and offers its pages, instead of showing the scenario editor as if it had been asked for (fix 0207).
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible, signIn, useConsoleHarness } from './harness.js';

const harness = useConsoleHarness();

describe('console unknown page', () => {
  it('answers an address that names no page with "Page not found" and links to the pages, not the scenario editor (fix 0207)', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);

    // Act
    await page.evaluate("location.hash = '#/scenarios/old-link'");
    await page.getByRole('heading', { name: 'Page not found', exact: true }).waitFor();

    // Assert
    expect(await page.getByRole('main').textContent()).toContain('#/scenarios/old-link');
    expect(await page.getByRole('heading', { name: 'Scenario', exact: true }).count()).toBe(0);
    expect(await page.title()).toBe('Page not found · Patient Generator');
    await page.getByRole('main').getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await expectAccessible(page, 'the page-not-found page');
  });
});
