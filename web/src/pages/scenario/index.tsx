/**
 * #/scenario: build a scenario from a preset, a saved configuration or the default, in a form and a
 * JSON view kept in sync both ways, validated as the planner types; save it; generate from it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import { ConfirmDialog } from '../../components';
import type { PageProps } from '..';
import { type EditorState, editorStore, type Origin } from './editor-store';
import { FormContext, type FormContextValue } from './form-context';
import { GeneratePanel } from './generate-panel';
import type { ScenarioSource } from './generate-request';
import { SavePanel } from './save-panel';
import { formKeys } from './scenario-fields';
import { ScenarioForm } from './scenario-form';
import {
  type Draft,
  draftFromConfiguration,
  fieldId,
  formatJson,
  type Issue,
  issueKey,
  issueLabel,
  type Json,
  type Path,
  parseDraft,
  placeIssues,
  sameJson,
  setIn,
  uniqueIssues,
} from './scenario-model';
import { type LoadRequest, SourcePanel } from './source-panel';
import { useReference } from './use-reference';
import './scenario.css';

/** Validation waits this long after the last keystroke. */
const VALIDATE_DEBOUNCE_MS = 400;

type Validation =
  | { readonly state: 'idle' | 'checking' }
  | { readonly state: 'valid' }
  | { readonly state: 'invalid'; readonly issues: readonly Issue[] }
  | { readonly state: 'error'; readonly message: string };

function originLabel(origin: Origin): string {
  switch (origin.kind) {
    case 'default':
      return 'the default scenario';
    case 'preset':
      return `preset “${origin.name}”`;
    case 'configuration':
      return `configuration “${origin.name}” v${origin.version}`;
    case 'job':
      return `the scenario of job ${origin.id.slice(0, 8)}`;
    default:
      return 'a new scenario';
  }
}

export function ScenarioPage(_props: PageProps) {
  const reference = useReference();
  const stored = editorStore.get();
  const [draft, setDraft] = useState<Draft>(stored?.draft ?? {});
  const [text, setText] = useState(() => formatJson(stored?.draft ?? {}));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [origin, setOrigin] = useState<Origin>(stored?.origin ?? { kind: 'new' });
  const [baseline, setBaseline] = useState<Draft | null>(stored?.baseline ?? null);
  const [seed] = useState(stored?.seed);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [validation, setValidation] = useState<Validation>({ state: 'idle' });
  const [extraIssues, setExtraIssues] = useState<readonly Issue[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pendingLoad, setPendingLoad] = useState<LoadRequest | null>(null);
  const [savedRevision, setSavedRevision] = useState(0);
  const draftRef = useRef(draft);
  const validateSeq = useRef(0);

  useEffect(() => {
    // The empty start, before the default scenario has loaded, is not kept: leaving the page before
    // the load answered would bring the planner back to an empty "new scenario" with nothing loading.
    if (origin.kind === 'new' && Object.keys(draft).length === 0) return;
    const state: EditorState = { draft, origin, baseline, ...(seed ? { seed } : {}) };
    editorStore.set(state);
  }, [draft, origin, baseline, seed]);

  const replace = useCallback((next: Draft, nextOrigin: Origin) => {
    draftRef.current = next;
    setDraft(next);
    setText(formatJson(next));
    setJsonError(null);
    setOrigin(nextOrigin);
    setBaseline(next);
    setExtraIssues([]);
  }, []);

  const set = useCallback((path: Path, value: Json | undefined) => {
    const next = setIn(draftRef.current, path, value);
    draftRef.current = next;
    setDraft(next);
    setText(formatJson(next));
    setJsonError(null);
    setExtraIssues([]);
  }, []);

  const onJsonInput = (value: string) => {
    setText(value);
    const parsed = parseDraft(value);
    if (parsed.ok) {
      draftRef.current = parsed.draft;
      setDraft(parsed.draft);
      setJsonError(null);
      setExtraIssues([]);
    } else setJsonError(parsed.message);
  };

  /**
   * Loads run one after another as the planner chooses (arrow keys in the Preset list load each preset
   * passed): only the latest request's answer is applied, whatever order the answers come in.
   */
  const loadSeq = useRef(0);
  const loadLatest = async (fetchScenario: () => Promise<[Draft, Origin]>) => {
    const seq = ++loadSeq.current;
    setLoading(true);
    setLoadError(null);
    try {
      const [next, nextOrigin] = await fetchScenario();
      if (seq === loadSeq.current) replace(next, nextOrigin);
    } catch (e) {
      if (seq === loadSeq.current) setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      if (seq === loadSeq.current) setLoading(false);
    }
  };

  const load = (request: LoadRequest) =>
    loadLatest(async () => {
      if (request.kind === 'default') {
        const c = await call(
          api.GET('/api/v1/configurations/{config_id}', { params: { path: { config_id: 'default' } } }),
        );
        return [draftFromConfiguration(c), { kind: 'default' }];
      }
      if (request.kind === 'preset') {
        const p = await call(
          api.GET('/api/v1/presets/{preset_id}', { params: { path: { preset_id: request.id } } }),
        );
        return [
          draftFromConfiguration(p.generation_config),
          { kind: 'preset', id: p.preset.id, name: p.preset.name },
        ];
      }
      const c = await call(
        api.GET('/api/v1/configurations/{config_id}', { params: { path: { config_id: request.id } } }),
      );
      return [
        draftFromConfiguration(c),
        { kind: 'configuration', id: c.id, version: c.version, latest: c.version, name: c.name },
      ];
    });

  const loadVersion = (id: string, version: number) =>
    loadLatest(async () => {
      const c = await call(
        api.GET('/api/v1/configurations/{config_id}/versions/{version}', {
          params: { path: { config_id: id, version } },
        }),
      );
      const latest = origin.kind === 'configuration' ? origin.latest : version;
      return [draftFromConfiguration(c), { kind: 'configuration', id, version, latest, name: c.name }];
    });

  const dirty = baseline !== null && !sameJson(draft, baseline);
  const requestLoad = (request: LoadRequest) => {
    if (dirty) setPendingLoad(request);
    else void load(request);
  };

  // First visit: start from the default scenario.
  useEffect(() => {
    if (!stored) void load({ kind: 'default' });
  }, []);

  const validate = useCallback(async (body: Draft) => {
    const seq = ++validateSeq.current;
    setValidation({ state: 'checking' });
    try {
      const result = await call(
        api.POST('/api/v1/configurations/validate', {
          body: body as unknown as Schemas['ConfigurationInput'],
        }),
      );
      if (seq !== validateSeq.current) return;
      setValidation(result.valid ? { state: 'valid' } : { state: 'invalid', issues: result.errors });
    } catch (e) {
      if (seq !== validateSeq.current) return;
      setValidation({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }, []);

  // Validation as the planner types: one request per pause, stale answers ignored.
  useEffect(() => {
    if (jsonError) return;
    if (Object.keys(draft).length === 0) {
      // Nothing to check (not loaded yet, or emptied as JSON): not the verdict on the previous draft.
      validateSeq.current++;
      setValidation({ state: 'idle' });
      return;
    }
    const timer = setTimeout(() => void validate(draft), VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, jsonError, validate]);

  const issues = useMemo(
    () => uniqueIssues([...(validation.state === 'invalid' ? validation.issues : []), ...extraIssues]),
    [validation, extraIssues],
  );
  const placed = useMemo(() => placeIssues(issues, formKeys(draft)), [issues, draft]);
  const form: FormContextValue = useMemo(
    () => ({ draft, set, messages: placed.byKey }),
    [draft, set, placed],
  );

  const source: ScenarioSource | null = useMemo(() => {
    if (jsonError) return null;
    const unchanged = baseline !== null && sameJson(draft, baseline);
    if (unchanged && origin.kind === 'preset') return { kind: 'stored', configurationId: origin.id };
    if (unchanged && origin.kind === 'default') return { kind: 'stored', configurationId: 'default' };
    if (unchanged && origin.kind === 'configuration' && origin.version === origin.latest)
      return { kind: 'stored', configurationId: origin.id };
    return { kind: 'inline', configuration: draft };
  }, [draft, baseline, origin, jsonError]);

  const focusField = (key: string | null) => {
    if (key === null) return;
    setTab('form');
    requestAnimationFrame(() => {
      const el = document.getElementById(fieldId(key));
      el?.scrollIntoView({ block: 'center' });
      el?.focus();
    });
  };

  const tabKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const next = tab === 'form' ? 'json' : 'form';
      setTab(next);
      document.getElementById(`tab-${next}`)?.focus();
      event.preventDefault();
    }
  };

  const statusText =
    jsonError !== null
      ? 'The JSON does not parse; the form shows the last valid state.'
      : validation.state === 'checking'
        ? 'Checking…'
        : validation.state === 'valid'
          ? extraIssues.length
            ? `${extraIssues.length} problem${extraIssues.length === 1 ? '' : 's'} reported by the API`
            : 'Valid scenario'
          : validation.state === 'invalid'
            ? `${issues.length} problem${issues.length === 1 ? '' : 's'}`
            : validation.state === 'error'
              ? `Could not validate: ${validation.message}`
              : 'Not checked yet';
  const statusClass =
    jsonError || issues.length > 0 || validation.state === 'error'
      ? 'bad'
      : validation.state === 'valid'
        ? 'good'
        : 'neutral';

  return (
    <div class="scenario-page">
      <div class="page-head">
        <h1>Scenario</h1>
        <p class="muted">
          From {originLabel(origin)}
          {dirty ? ' · edited' : ''}
        </p>
      </div>
      <SourcePanel origin={origin} busy={loading} onLoad={requestLoad} savedRevision={savedRevision} />
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      <div class="editor-layout">
        <div class="editor-main">
          <button
            type="button"
            class="skip-local"
            onClick={() => document.getElementById('gen-format-json')?.focus()}
          >
            Skip to the output options
          </button>
          <div role="tablist" aria-label="Scenario view" class="tabs">
            <button
              type="button"
              role="tab"
              id="tab-form"
              aria-selected={tab === 'form'}
              aria-controls="panel-form"
              tabIndex={tab === 'form' ? 0 : -1}
              onClick={() => setTab('form')}
              onKeyDown={tabKey}
            >
              Form
            </button>
            <button
              type="button"
              role="tab"
              id="tab-json"
              aria-selected={tab === 'json'}
              aria-controls="panel-json"
              tabIndex={tab === 'json' ? 0 : -1}
              onClick={() => setTab('json')}
              onKeyDown={tabKey}
            >
              JSON
            </button>
          </div>
          <div role="tabpanel" id="panel-form" aria-labelledby="tab-form" hidden={tab !== 'form'}>
            <FormContext.Provider value={form}>
              <ScenarioForm reference={reference.data} />
            </FormContext.Provider>
          </div>
          <div
            role="tabpanel"
            id="panel-json"
            aria-labelledby="tab-json"
            hidden={tab !== 'json'}
            class="card"
          >
            <label for="scenario-json">Scenario JSON</label>
            <p id="scenario-json-hint" class="hint">
              Edit freely: the form follows whenever the text parses. Keys the form does not show are kept.
            </p>
            <textarea
              id="scenario-json"
              class="json-editor"
              spellcheck={false}
              value={text}
              onInput={(e) => onJsonInput((e.currentTarget as HTMLTextAreaElement).value)}
              aria-invalid={jsonError ? 'true' : undefined}
              aria-describedby={jsonError ? 'scenario-json-error scenario-json-hint' : 'scenario-json-hint'}
            />
            {jsonError && (
              <p id="scenario-json-error" class="error">
                {jsonError}
              </p>
            )}
          </div>
        </div>
        <aside class="editor-side" aria-label="Check, save and generate">
          <section class="card" aria-labelledby="sec-check">
            <h2 id="sec-check">Check</h2>
            <div class="row">
              <p role="status" class={`check-status ${statusClass}`}>
                {statusText}
              </p>
              <button
                type="button"
                class="secondary"
                disabled={jsonError !== null}
                onClick={() => void validate(draftRef.current)}
              >
                Validate
              </button>
            </div>
            {placed.all.length > 0 && (
              <ul class="issue-list" aria-label="Problems">
                {placed.all.map((issue, i) => (
                  <li key={i}>
                    {issue.key !== null ? (
                      <button type="button" class="link" onClick={() => focusField(issue.key)}>
                        {issueLabel(issueKey(issue.path), draft)}
                      </button>
                    ) : (
                      <strong>{issueLabel(issueKey(issue.path), draft)}</strong>
                    )}
                    : {issue.message}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <GeneratePanel
            source={source}
            blocked={jsonError ? 'Fix the JSON before generating.' : null}
            initialSeed={seed}
            onScenarioIssues={(list) => setExtraIssues(stripConfigurationPrefix(list))}
          />
          <SavePanel
            draft={draft}
            origin={origin}
            disabled={jsonError !== null}
            onIssues={setExtraIssues}
            onLoadVersion={(id, v) => void loadVersion(id, v)}
            onDeleted={() => {
              // The draft stays; nothing stored holds it now, so a Generate sends it inline.
              setOrigin({ kind: 'new' });
              setBaseline(null);
              setSavedRevision((r) => r + 1);
            }}
            onSaved={(saved) => {
              replace(draftFromConfiguration(saved), {
                kind: 'configuration',
                id: saved.id,
                version: saved.version,
                latest: saved.version,
                name: saved.name,
              });
              setSavedRevision((r) => r + 1);
            }}
          />
        </aside>
      </div>
      <ConfirmDialog
        open={pendingLoad !== null}
        title="Replace the edited scenario?"
        message="The scenario has changes that are not saved. Loading another one discards them."
        confirmLabel="Discard and load"
        danger
        onCancel={() => setPendingLoad(null)}
        onConfirm={() => {
          const request = pendingLoad;
          setPendingLoad(null);
          if (request) void load(request);
        }}
      />
    </div>
  );
}

/** POST /generation reports scenario fields under `configuration.`: the form knows them without it. */
function stripConfigurationPrefix(issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({
    path: i.path.replace(/^configuration(\.|\[|$)/, (_m, next: string) => (next === '[' ? '[' : '')),
    message: i.message,
  }));
}
