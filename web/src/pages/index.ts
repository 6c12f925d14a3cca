/** Top-level sections of the console, by the first segment of the hash route. */
import type { FunctionComponent } from 'preact';
import type { Route } from '../lib/router';
import { ViewerPage } from '../viewer';
import { JobsSection } from './jobs';
import { ScenarioPage } from './scenario';

export interface PageProps {
  readonly route: Route;
}

export const PAGES: Record<string, FunctionComponent<PageProps>> = {
  scenario: ScenarioPage,
  jobs: JobsSection,
  viewer: ViewerPage,
};
