/** Downloads go through the API for a short-lived link (?redirect=false), then the browser fetches it from storage. */
import { api, call } from '../../api';

export async function downloadJob(jobId: string, format: string): Promise<void> {
  const link = await call(
    api.GET('/api/v1/downloads/{job_id}', {
      params: { path: { job_id: jobId }, query: { format, redirect: 'false' } },
    }),
  );
  // The storage answers with Content-Disposition: attachment, so this page stays where it is.
  location.assign(link.url);
}
