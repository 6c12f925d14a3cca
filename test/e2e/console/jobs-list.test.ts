/**
 * The jobs page while its list cannot be loaded: the status says so and that it is trying again, not
 * "Loading…" beside the error (fix 0115); the list appears once an answer comes.
 */
import { describe, expect, it } from 'vitest';
import { signIn, useConsoleHarness } from './harness.js';

const harness = useConsoleHarness();

describe('console jobs page', () => {
  it('says the jobs could not be loaded while it retries, then shows the list', async () => {
    // Prepare: signed in, then the jobs list refused until released
    const current = await harness.open();
    const { page } = current;
    current.expectProblems(/\/api\/v1\/jobs\?.* → 503/, /status of 503/);
    let refusing = false;
    await page.route(
      (url) => url.pathname === '/api/v1/jobs',
      async (route) => {
        if (!refusing) return route.continue();
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Try again shortly' } }),
        });
      },
    );
    await signIn(page, harness.stack.apiKey);
    refusing = true;
    const status = page
      .getByRole('heading', { name: 'Jobs', exact: true })
      .locator('xpath=..')
      .getByRole('status');

    // Act
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Try again shortly' }).waitFor();
    const whileRefused = await status.textContent();
    refusing = false;

    // Assert
    expect(whileRefused).toBe('The jobs could not be loaded; trying again…');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/^\d+ jobs?/);
  });
});
