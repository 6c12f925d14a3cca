import type { PageProps } from '..';
import { JobResultsPage } from '../results';
import { JobsList } from './jobs-list';

/** #/jobs lists the jobs; #/jobs/{id}[/patients/{n}] shows a completed job's results. */
export function JobsSection(props: PageProps) {
  if (props.route.segments[1]) return <JobResultsPage {...props} />;
  return <JobsList highlight={props.route.query.get('job')} />;
}
