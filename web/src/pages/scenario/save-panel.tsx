/**
 * Save the draft as a configuration (POST), or as its next version (PUT); list and load versions;
 * delete the configuration (its versions with it), keeping the draft in the editor.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, call, type Schemas } from '../../api';
import { ConfirmDialog } from '../../components';
import type { Origin } from './editor-store';
import type { Draft, Issue } from './scenario-model';

type Configuration = Schemas['Configuration'];
type Versions = Schemas['ConfigurationVersionList']['versions'];

export interface SavePanelProps {
  readonly draft: Draft;
  readonly origin: Origin;
  readonly disabled: boolean;
  readonly onSaved: (saved: Configuration) => void;
  readonly onIssues: (issues: readonly Issue[]) => void;
  readonly onLoadVersion: (id: string, version: number) => void;
  /** The configuration the editor had loaded was deleted: the draft stays, no longer saved anywhere. */
  readonly onDeleted: () => void;
}

export function SavePanel({
  draft,
  origin,
  disabled,
  onSaved,
  onIssues,
  onLoadVersion,
  onDeleted,
}: SavePanelProps) {
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const saveButton = useRef<HTMLButtonElement>(null);
  /** The last save's outcome; a success names the version it made (`saved`), shown only while that version is loaded. */
  const [message, setMessage] = useState<{ text: string; error: boolean; saved?: string } | null>(null);
  const [versions, setVersions] = useState<Versions>([]);
  const configId = origin.kind === 'configuration' ? origin.id : null;
  const latest = origin.kind === 'configuration' ? origin.latest : 0;
  const loaded = origin.kind === 'configuration' ? `${origin.id}@${origin.version}` : null;
  const shown = message && (message.saved === undefined || message.saved === loaded) ? message : null;

  useEffect(() => {
    if (!configId) {
      setVersions([]);
      return;
    }
    let live = true;
    call(
      api.GET('/api/v1/configurations/{config_id}/versions', {
        params: { path: { config_id: configId }, query: { limit: 100 } },
      }),
    ).then(
      (list) => live && setVersions([...list.versions].reverse()),
      (e: Error) => live && setMessage({ text: e.message, error: true }),
    );
    return () => {
      live = false;
    };
  }, [configId, latest]);

  const remove = async () => {
    setConfirmingDelete(false);
    if (busy || origin.kind !== 'configuration') return;
    setBusy(true);
    setMessage(null);
    try {
      await call(
        api.DELETE('/api/v1/configurations/{config_id}', { params: { path: { config_id: origin.id } } }),
      );
      onDeleted();
      // The Delete button goes with the configuration: the focus moves to the Save button, which stays.
      saveButton.current?.focus();
      setMessage({
        text: `Deleted “${origin.name}” and its ${origin.latest === 1 ? 'version' : `${origin.latest} versions`}. The scenario stays here, not saved; jobs that ran it keep their scenario.`,
        error: false,
      });
    } catch (e) {
      setMessage({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  const save = async (asNew: boolean) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const body = draft as unknown as Schemas['ConfigurationInput'];
      const saved =
        !asNew && configId
          ? await call(
              api.PUT('/api/v1/configurations/{config_id}', {
                params: { path: { config_id: configId } },
                body,
              }),
            )
          : await call(api.POST('/api/v1/configurations', { body }));
      onSaved(saved);
      setMessage({
        text: `Saved “${saved.name}” as version ${saved.version}.`,
        error: false,
        saved: `${saved.id}@${saved.version}`,
      });
    } catch (e) {
      if (e instanceof ApiError && e.issues.length > 0) onIssues(e.issues);
      setMessage({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="sec-save">
      <h2 id="sec-save">Save</h2>
      {origin.kind === 'configuration' && (
        <p class="hint">
          Editing <strong>{origin.name}</strong>, version {origin.version} of {origin.latest}.
        </p>
      )}
      <div class="row">
        {configId && (
          <button
            type="button"
            disabled={disabled}
            aria-disabled={busy ? 'true' : undefined}
            onClick={() => save(false)}
          >
            Save as version {latest + 1}
          </button>
        )}
        <button
          ref={saveButton}
          type="button"
          class={configId ? 'secondary' : undefined}
          // Busy: aria-disabled, not disabled, which would drop the keyboard focus (fix 0120).
          disabled={disabled}
          aria-disabled={busy ? 'true' : undefined}
          onClick={() => save(true)}
        >
          {configId ? 'Save as new configuration' : 'Save configuration'}
        </button>
        {origin.kind === 'configuration' && (
          <button
            type="button"
            class="danger"
            aria-disabled={busy ? 'true' : undefined}
            onClick={() => !busy && setConfirmingDelete(true)}
          >
            Delete configuration
          </button>
        )}
      </div>
      <p role="status" class={shown?.error ? 'error' : 'hint'}>
        {shown?.text ?? ''}
      </p>
      {versions.length > 0 && configId && (
        <table class="versions">
          <caption class="visually-hidden">Versions of this configuration</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved (UTC)</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const current = origin.kind === 'configuration' && origin.version === v.version;
              return (
                <tr key={v.version} aria-current={current ? 'true' : undefined}>
                  <td>
                    v{v.version} <span class="muted version-name">{v.name}</span>
                  </td>
                  <td class="nowrap">{v.created_at.slice(0, 16).replace('T', ' ')}</td>
                  <td>
                    {/* One button either way, so the focus stays on it once its version has loaded
                        (a "loaded" text in its place dropped the focus to the page, fix 0126). */}
                    <button
                      type="button"
                      class="secondary small"
                      aria-label={current ? `Version ${v.version} is loaded` : `Load version ${v.version}`}
                      aria-disabled={current ? 'true' : undefined}
                      onClick={() => {
                        if (!current) onLoadVersion(configId, v.version);
                      }}
                    >
                      {current ? 'Loaded' : 'Load'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={confirmingDelete}
        title="Delete this configuration?"
        message={
          origin.kind === 'configuration'
            ? `“${origin.name}” and its ${origin.latest === 1 ? 'version' : `${origin.latest} versions`} will be deleted. This cannot be undone. The scenario stays in the editor, and jobs that ran it keep their scenario and files.`
            : ''
        }
        confirmLabel="Delete configuration"
        danger
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => void remove()}
      />
    </section>
  );
}
