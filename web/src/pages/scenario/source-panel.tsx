/** Where a scenario starts: a preset, a saved configuration, or the default. */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import { ScrollBox } from '../../components';
import type { Origin } from './editor-store';

type PresetSummary = Schemas['PresetSummary'];
type Configuration = Schemas['Configuration'];

export type LoadRequest =
  | { readonly kind: 'default' }
  | { readonly kind: 'preset'; readonly id: string }
  | { readonly kind: 'configuration'; readonly id: string };

export interface SourcePanelProps {
  readonly origin: Origin;
  /** A scenario is loading (aria-busy); the controls stay usable, the latest choice wins. */
  readonly busy: boolean;
  readonly onLoad: (request: LoadRequest) => void;
  /** Bumped after a save, so the saved list shows the new configuration. */
  readonly savedRevision: number;
}

export function SourcePanel({ origin, busy, onLoad, savedRevision }: SourcePanelProps) {
  const [presets, setPresets] = useState<readonly PresetSummary[]>([]);
  const [presetsState, setPresetsState] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const [categories, setCategories] = useState<Record<string, { name: string }>>({});
  const [saved, setSaved] = useState<readonly Configuration[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call(api.GET('/api/v1/presets')).then(
      (list) => {
        setPresets(list.presets);
        setCategories(list.categories);
        setPresetsState('loaded');
      },
      (e: Error) => {
        setPresetsState('failed');
        setError(e.message);
      },
    );
  }, []);

  useEffect(() => {
    call(api.GET('/api/v1/configurations', { params: { query: { limit: 20 } } })).then(
      (page) => {
        setSaved(page.configurations);
        setCursor(page.next_cursor);
      },
      (e: Error) => setError(e.message),
    );
  }, [savedRevision]);

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await call(
        api.GET('/api/v1/configurations', { params: { query: { limit: 20, cursor } } }),
      );
      setSaved((s) => [...s, ...page.configurations.filter((c) => !s.some((x) => x.id === c.id))]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const presetId = origin.kind === 'preset' ? origin.id : '';
  const configId = origin.kind === 'configuration' ? origin.id : '';
  const preset = presets.find((p) => p.id === presetId);

  return (
    // The controls stay enabled while a scenario loads (a disabled control drops the keyboard focus,
    // fix 0120): the page applies the latest request only.
    <section class="card source" aria-labelledby="sec-source" aria-busy={busy}>
      <h2 id="sec-source">Start from</h2>
      <div class="source-grid">
        <div class="field">
          <label for="preset">Preset</label>
          <select
            id="preset"
            value={presetId}
            aria-describedby="preset-detail"
            onChange={(e) => {
              const id = (e.currentTarget as HTMLSelectElement).value;
              if (id) onLoad({ kind: 'preset', id });
            }}
          >
            <option value="">Choose a preset…</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <p id="preset-detail" class="hint">
            {preset ? (
              <>
                {preset.description}{' '}
                <span class="chip">{categories[preset.category]?.name ?? preset.category}</span>{' '}
                <span class={`chip difficulty-${preset.difficulty}`}>{preset.difficulty} difficulty</span>{' '}
                <span class="chip">
                  {preset.total_patients.toLocaleString('en-GB')} patients · {preset.duration_days} days
                </span>
              </>
            ) : presetsState === 'loaded' ? (
              `${presets.length} presets: conventional, urban, CBRN, peacekeeping, training…`
            ) : presetsState === 'loading' ? (
              'Loading the presets…'
            ) : (
              'The presets could not be loaded.'
            )}
          </p>
        </div>
        <div class="field">
          <label for="saved-config">Saved configuration</label>
          <div class="row tight">
            <select
              id="saved-config"
              value={configId}
              onChange={(e) => {
                const id = (e.currentTarget as HTMLSelectElement).value;
                if (id) onLoad({ kind: 'configuration', id });
              }}
            >
              <option value="">{saved.length ? 'Choose a configuration…' : 'None saved yet'}</option>
              {saved.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} · v{c.version} · {c.updated_at.slice(0, 10)}
                </option>
              ))}
            </select>
            {cursor && (
              <button type="button" class="secondary small" onClick={loadMore}>
                Load more
              </button>
            )}
          </div>
        </div>
        <div class="field">
          <span class="label-like" aria-hidden="true">
            &nbsp;
          </span>
          <button type="button" class="secondary" onClick={() => onLoad({ kind: 'default' })}>
            Default scenario
          </button>
        </div>
      </div>
      {presets.length > 0 && (
        <details class="preset-browser">
          <summary>Compare the {presets.length} presets</summary>
          <ScrollBox class="preset-table" label="Presets table">
            <table>
              <caption class="visually-hidden">Presets with their category, difficulty and size</caption>
              <thead>
                <tr>
                  <th scope="col">Preset</th>
                  <th scope="col">Category</th>
                  <th scope="col">Difficulty</th>
                  <th scope="col" class="num">
                    Patients
                  </th>
                  <th scope="col" class="num">
                    Days
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {presets.map((p) => (
                  <tr key={p.id} aria-current={p.id === presetId ? 'true' : undefined}>
                    <td>
                      <strong>{p.name}</strong>
                      <span class="muted preset-description">{p.description}</span>
                    </td>
                    <td>{categories[p.category]?.name ?? p.category}</td>
                    <td>
                      <span class={`chip difficulty-${p.difficulty}`}>{p.difficulty}</span>
                    </td>
                    <td class="num">{p.total_patients.toLocaleString('en-GB')}</td>
                    <td class="num">{p.duration_days}</td>
                    <td>
                      <button
                        type="button"
                        class="secondary small"
                        aria-label={`Use ${p.name}`}
                        onClick={() => onLoad({ kind: 'preset', id: p.id })}
                      >
                        Use
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </details>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
