/** Downloads go through the API for a short-lived link (?redirect=false), then the browser fetches it from storage. */
import { api, call } from '../../api';
import type { operations } from '../../api/schema.js';
import { href } from '../../lib/router';

/** A format the downloads route names (the job's files list it as text). */
export type DownloadFormat = NonNullable<
  NonNullable<operations['downloadJob']['parameters']['query']>['format']
>;

/** Starts the download of one of a job's files (or its ZIP); answers the name it is saved under. */
export async function downloadJob(jobId: string, format: string): Promise<string> {
  const link = await call(
    api.GET('/api/v1/downloads/{job_id}', {
      params: { path: { job_id: jobId }, query: { format: format as DownloadFormat, redirect: 'false' } },
    }),
  );
  // A download link rather than a navigation: the storage answers with Content-Disposition:
  // attachment, and the page (with its polling) stays where it is.
  const a = document.createElement('a');
  a.href = link.url;
  a.download = link.download_name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  return link.download_name;
}

/**
 * The console's own address of a download: a link opened in a tab of its own (middle-click, "Open
 * in new tab") has no key there, so it cannot point at the API; this page asks for one, then
 * downloads (download-page.tsx).
 */
export function downloadHref(jobId: string, format: string): string {
  return `${href('jobs', jobId, 'download')}?format=${encodeURIComponent(format)}`;
}
