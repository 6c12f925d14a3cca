/**
 * #/jobs/{id}/download?format=…: where a job's download links lead when opened in a tab of their own
 * (middle-click, "Open in new tab", a bookmark). The app asks for a key first if the tab has none;
 * this page then starts the download and says so, or says why it could not (fix 0143).
 */
import { useEffect, useState } from 'preact/hooks';
import { href } from '../../lib/router';
import type { PageProps } from '..';
import { downloadJob } from './download';

type DownloadState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'started'; readonly fileName: string }
  | { readonly kind: 'failed'; readonly message: string };

export function JobDownloadPage({ route }: PageProps) {
  const jobId = route.segments[1] ?? '';
  const format = route.query.get('format') ?? 'zip';
  const [state, setState] = useState<DownloadState>({ kind: 'starting' });

  useEffect(() => {
    document.title = 'Download · Patient Generator';
    let current = true;
    setState({ kind: 'starting' });
    downloadJob(jobId, format).then(
      (fileName) => current && setState({ kind: 'started', fileName }),
      (error: Error) => current && setState({ kind: 'failed', message: error.message }),
    );
    return () => {
      current = false;
    };
  }, [jobId, format]);

  return (
    <div class="download-page">
      <h1>Download</h1>
      {state.kind === 'failed' ? (
        <p class="error" role="alert">
          The download could not start: {state.message}
        </p>
      ) : (
        <p role="status">
          {state.kind === 'started'
            ? `The download of ${state.fileName} has started: see your browser's downloads.`
            : 'Getting a download link…'}
        </p>
      )}
      <p>
        <a href={`${href('jobs')}?job=${encodeURIComponent(jobId)}`}>Back to the job</a>
      </p>
    </div>
  );
}
