/** Where a scenario starts: a preset, a saved configuration, or the default. */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import type { Origin } from './editor-store';

type PresetSummary = Schemas['PresetSummary'];
type Configuration = Schemas['Configuration'];

export type LoadRequest =
  | { readonly kind: 'default' }
  | { readonly kind: 'preset'; readonly id: string }
  | { readonly kind: 'configuration'; readonly id: string };

export interface SourcePanelProps {
  readonly origin: Origin;
  readonly busy: boolean;
  readonly onLoad: (request: LoadRequest) => void;
  /** Bumped after a save, so the saved list shows the new configuration. */
  readonly savedRevision: number;
}

export function SourcePanel({ origin, busy, onLoad, savedRevision }: SourcePanelProps) {
  const [presets, setPresets] = useState<readonly PresetSummary[]>([]);
  const [categories, setCategories] = useState<Record<string, { name: string }>>({});
  const [saved, setSaved] = useState<readonly Configuration[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call(api.GET('/api/v1/presets')).then(
      (list) => {
        setPresets(list.presets);
        setCategories(list.categories);
      },
      (e: Error) => setError(e.message),
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
    <section class="card source" aria-labelledby="sec-source">
      <h2 id="sec-source">Start from</h2>
      <div class="source-grid">
        <div class="field">
          <label for="preset">Preset</label>
          <select
            id="preset"
            value={presetId}
            disabled={busy}
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
            ) : (
              `${presets.length} presets: conventional, urban, CBRN, peacekeeping, training…`
            )}
          </p>
        </div>
        <div class="field">
          <label for="saved-config">Saved configuration</label>
          <div class="row tight">
            <select
              id="saved-config"
              value={configId}
              disabled={busy}
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
          <button type="button" class="secondary" disabled={busy} onClick={() => onLoad({ kind: 'default' })}>
            Default scenario
          </button>
        </div>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
