import type { PageProps } from '..';

export function ScenarioPage(_props: PageProps) {
  return <h1>Scenario</h1>;
}
