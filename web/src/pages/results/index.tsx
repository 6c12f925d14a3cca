import type { PageProps } from '..';

export function JobResultsPage(_props: PageProps) {
  return <h1>Results</h1>;
}
