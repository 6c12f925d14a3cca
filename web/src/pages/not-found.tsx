/** An address that names no page of the console: a mistyped or outdated link (memory/fixes/0207). */
import { href } from '../lib/router';
import type { PageProps } from '.';

export function NotFoundPage({ route }: PageProps) {
  const address = `#/${route.segments.map(encodeURIComponent).join('/')}`;
  return (
    <div>
      <h1>Page not found</h1>
      <p>
        The console has no page at <code>{address}</code>. Go to the <a href={href('scenario')}>Scenario</a>{' '}
        editor, the <a href={href('jobs')}>Jobs</a> or the <a href={href('viewer')}>Flow viewer</a>.
      </p>
    </div>
  );
}
