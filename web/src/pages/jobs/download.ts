/** Downloads go through the API for a short-lived link (?redirect=false), then the browser fetches it from storage. */
import { api, call } from '../../api';
import type { operations } from '../../api/schema.js';

/** A format the downloads route names (the job's files list it as text). */
export type DownloadFormat = NonNullable<
  NonNullable<operations['downloadJob']['parameters']['query']>['format']
>;

export async function downloadJob(jobId: string, format: string): Promise<void> {
  const link = await call(
    api.GET('/api/v1/downloads/{job_id}', {
      params: { path: { job_id: jobId }, query: { format: format as DownloadFormat, redirect: 'false' } },
    }),
  );
  // A download link rather than a navigation: the storage answers with Content-Disposition:
  // attachment, and the page (with its polling) stays where it is.
  const a = document.createElement('a');
  a.href = link.url;
  a.download = link.file_name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
