/**
 * A job's download links opened in a tab of their own (middle-click, "Open link in new tab", a
 * bookmark): the tab holds no key, so the link leads to the console, which asks for one and then
 * starts the download there, instead of the API's bare 401 (fix 0143).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  completedDefaultScenarioJob,
  expectAccessible,
  screenshot,
  signIn,
  stackApi,
  useConsoleHarness,
} from './harness.js';

const harness = useConsoleHarness();
const api = stackApi(harness);

let jobId = '';

beforeAll(async () => {
  jobId = await completedDefaultScenarioJob(api, {
    name: 'Download link test',
    total_patients: 20,
    seed: 5,
    output_formats: ['json', 'csv'],
  });
}, 120_000);

describe('console download links in a new tab', () => {
  it.each([
    ['Download ZIP', 'zip', 'PK'],
    ['Download .*\\.csv', 'csv', 'id,uuid,'],
  ])(
    '"%s" opened in a new tab asks for the key, then downloads the %s file there',
    async (name, format, head) => {
      // Prepare: the link as the jobs page shows it
      const first = await harness.open();
      await signIn(first.page, harness.stack.apiKey);
      await first.page.goto(`${harness.stack.url}/#/jobs?job=${jobId}`);
      const link = first.page.getByRole('link', { name: new RegExp(`^${name}`) }).first();
      const target = await link.getAttribute('href');

      // Act: the link in a tab of its own (a new context: no session storage), signing in there
      const tab = await harness.open(`/${target}`);
      await tab.page.getByRole('textbox', { name: 'API key', exact: true }).waitFor();
      const downloading = tab.page.waitForEvent('download');
      await signIn(tab.page, harness.stack.apiKey);
      const download = await downloading;
      const bytes = await new Promise<Buffer>((resolve, reject) => {
        download.createReadStream().then((stream) => {
          const parts: Buffer[] = [];
          stream.on('data', (part: Buffer) => parts.push(part));
          stream.on('end', () => resolve(Buffer.concat(parts)));
          stream.on('error', reject);
        }, reject);
      });

      // Assert
      expect(target).toMatch(/^#\/jobs\/[^/]+\/download\?format=/);
      const fileName = download.suggestedFilename();
      expect(fileName).toMatch(new RegExp(`^Download link test_${jobId}\\.${format}$`));
      expect(bytes.subarray(0, head.length).toString('latin1')).toBe(head);
      await tab.page
        .getByRole('status')
        .filter({ hasText: `The download of ${fileName} has started` })
        .waitFor();
      expect(await tab.page.getByRole('link', { name: 'Back to the job' }).getAttribute('href')).toBe(
        `#/jobs?job=${jobId}`,
      );
      await screenshot(tab.page, `download-tab-${format}`);
      await expectAccessible(tab.page, 'the download page');
    },
  );

  it('says why in the tab when the job cannot be downloaded', async () => {
    // Prepare
    const tab = await harness.open('/#/jobs/00000000-0000-4000-8000-000000000000/download?format=zip');
    tab.expectProblems(/\/api\/v1\/downloads\/.* → 404/, /status of 404/);
    // Act
    await signIn(tab.page, harness.stack.apiKey);
    // Assert
    await tab.page
      .getByRole('alert')
      .filter({ hasText: /^The download could not start: .*not found/i })
      .waitFor();
  });
});
