import { useEffect, useRef, useState } from 'preact/hooks';
import { session } from './api';
import { focusAtPageStart } from './lib/focus';
import { href, useRoute } from './lib/router';
import { PAGES, type PageProps } from './pages';
import { NotFoundPage } from './pages/not-found';
import { SignIn } from './pages/sign-in';

function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => session.apiKey() !== null);
  useEffect(() => session.subscribe(() => setSignedIn(session.apiKey() !== null)), []);
  return signedIn;
}

const NAV = [
  { section: 'scenario', label: 'Scenario' },
  { section: 'jobs', label: 'Jobs' },
  { section: 'viewer', label: 'Flow viewer' },
] as const;

export function App({ stage }: { stage: string }) {
  const signedIn = useSignedIn();
  const route = useRoute();
  const section = route.segments[0] ?? 'scenario';
  const Page = Object.hasOwn(PAGES, section) ? PAGES[section] : NotFoundPage;

  // A link or button inside the page that opened another one (Results, a patient, Timeline) is gone
  // with the old page: the focus goes to the new page's main region, not the document (fix 0121).
  const path = route.segments.join('/');
  const shownPath = useRef(path);
  useEffect(() => {
    if (shownPath.current === path) return;
    shownPath.current = path;
    if (focusAtPageStart()) document.getElementById('main')?.focus();
  }, [path]);

  useEffect(() => {
    // NAV names every page; a section it does not name is the not-found page.
    const label = NAV.find((n) => n.section === section)?.label ?? 'Page not found';
    document.title = `${label} · Patient Generator`;
  }, [section]);

  if (!signedIn) return <SignIn />;
  const props: PageProps = { route };
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Patient Generator</span>
        <span class="stage" title="Stage">
          {stage}
        </span>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <a
              key={n.section}
              href={href(n.section)}
              aria-current={section === n.section ? 'page' : undefined}
            >
              {n.label}
            </a>
          ))}
        </nav>
        <button type="button" class="secondary" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page {...props} />
      </main>
    </>
  );
}
