import type { PageProps } from '..';
import { JobResultsPage } from '../results';
import { JobDownloadPage } from './download-page';
import { JobsList } from './jobs-list';

/**
 * #/jobs lists the jobs; #/jobs/{id}[/patients/{n}] shows a completed job's results;
 * #/jobs/{id}/download?format=… downloads one of its files.
 */
export function JobsSection(props: PageProps) {
  if (props.route.segments[2] === 'download') return <JobDownloadPage {...props} />;
  if (props.route.segments[1]) return <JobResultsPage {...props} />;
  return <JobsList highlight={props.route.query.get('job')} />;
}
