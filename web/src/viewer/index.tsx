import type { PageProps } from '../pages';

export function ViewerPage(_props: PageProps) {
  return <h1>Patient flow</h1>;
}
