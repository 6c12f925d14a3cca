/**
 * Signing in and out of the web console in Chromium, through the real local stack: the key is checked
 * against the API before it is kept, a wrong key shows the API's own message, the key lives in
 * sessionStorage only, and a key the API stops accepting (revoked) signs the tab out (fix 0099).
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible, screenshot, signIn, useConsoleHarness } from './harness.js';

const harness = useConsoleHarness();

describe('console sign-in', () => {
  it('the sign-in page has a labelled API key field and no serious accessibility finding', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;

    // Act
    await page.getByRole('textbox', { name: 'API key', exact: true }).waitFor();

    // Assert
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'the sign-in page');
  });

  it('a wrong key shows the API message and keeps the sign-in form', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    current.expectProblems(/\/api\/v1\/jobs\S* → 401/, /status of 401/);
    const wrong = await fetch(`${harness.stack.url}/api/v1/jobs?limit=1`, {
      headers: { 'X-API-Key': 'sk_wrong_key_0000' },
    });
    const apiMessage = ((await wrong.json()) as { error: { message: string } }).error.message;

    // Act
    await page.getByRole('textbox', { name: 'API key', exact: true }).fill('sk_wrong_key_0000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // Assert
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(wrong.status).toBe(401);
    expect(await alert.textContent()).toContain(apiMessage);
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);
    expect(page.url()).not.toContain('sk_wrong_key_0000');
    await screenshot(page, 'sign-in-wrong-key');
    await expectAccessible(page, 'the sign-in page showing an error');
  });

  it('the right key opens the console; the key stays in sessionStorage only; Sign out forgets it', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;

    // Act
    await signIn(page, harness.stack.apiKey);

    // Assert: signed in, the key in sessionStorage, nowhere else
    expect(page.url()).not.toContain(harness.stack.apiKey);
    const stored = (await page.evaluate(
      '({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage), cookie: document.cookie })',
    )) as { session: string; local: string; cookie: string };
    expect(stored.session).toContain(harness.stack.apiKey);
    expect(stored.local).not.toContain(harness.stack.apiKey);
    expect(stored.cookie).not.toContain(harness.stack.apiKey);

    // Act: sign out
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    // Assert: back at the sign-in form, nothing kept
    await page.getByRole('textbox', { name: 'API key', exact: true }).waitFor();
    expect(await page.evaluate('JSON.stringify(sessionStorage)')).not.toContain(harness.stack.apiKey);
  });

  it('signing in works by keyboard alone: Tab reaches the key field, Enter signs in', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    const field = page.getByRole('textbox', { name: 'API key', exact: true });
    await field.waitFor();

    // Act
    await page.keyboard.press('Tab');
    const focused = await field.evaluate(
      (el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement,
    );
    await page.keyboard.type(harness.stack.apiKey);
    await page.keyboard.press('Enter');

    // Assert
    expect(focused).toBe(true);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
  });

  it('a signed-in tab keeps its session across a reload', async () => {
    // Prepare
    const current = await harness.open();
    const { page } = current;
    await signIn(page, harness.stack.apiKey);
    // The scenario page's requests done: a reload aborts requests in flight (net::ERR_ABORTED).
    await current.settled();

    // Act
    await page.reload();

    // Assert
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    expect(await page.getByRole('textbox', { name: 'API key', exact: true }).count()).toBe(0);
  });

  it('a key revoked while signed in signs the tab out and the sign-in page says why', async () => {
    // Prepare: a key of its own, signed in on the jobs page, then revoked
    const admin = { 'X-API-Key': harness.stack.adminKey, 'Content-Type': 'application/json' };
    const made = await fetch(`${harness.stack.url}/api/v1/admin/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ owner: 'console-test', name: 'revoked while signed in', scopes: ['generate'] }),
    });
    const key = (await made.json()) as { key_id: string; api_key: string };
    const current = await harness.open();
    const { page } = current;
    current.expectProblems(/\/api\/v1\/\S* → 401/, /status of 401/);
    await signIn(page, key.api_key);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByText('No jobs yet.').waitFor();
    const revoked = await fetch(`${harness.stack.url}/api/v1/admin/keys/${key.key_id}`, {
      method: 'DELETE',
      headers: admin,
    });

    // Act: the next request with the key
    await page.getByRole('link', { name: 'Scenario', exact: true }).click();

    // Assert
    expect(made.status).toBe(201);
    expect(revoked.status).toBe(200);
    await page.getByRole('textbox', { name: 'API key', exact: true }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('no longer accepts the key');
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);
    expect(await page.evaluate('JSON.stringify(sessionStorage)')).not.toContain(key.api_key);
    await screenshot(page, 'sign-in-key-revoked');
    await expectAccessible(page, 'the sign-in page after the key was revoked');
  });
});
