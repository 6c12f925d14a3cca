/**
 * Generate: formats, compression, encryption (the password lives in this component's state only:
 * never stored, never logged, cleared after each submit), seed; POST /api/v1/generation with an
 * Idempotency-Key so a double click makes one job.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api';
import { FieldError } from '../../components';
import { href, navigate } from '../../lib/router';
import { hasPatientRecords } from '../jobs/job-view';
import { handOverSubmittedJob } from '../jobs/just-submitted';
import {
  buildGenerationRequest,
  checkGenerateOptions,
  IdempotencyKeys,
  MIN_PASSWORD,
  type ScenarioSource,
} from './generate-request';
import { OUTPUT_FORMATS } from './scenario-fields';
import { type Issue, issueKey, seedFromInput } from './scenario-model';

export interface GeneratePanelProps {
  readonly source: ScenarioSource | null;
  /** Why the scenario cannot be generated now (JSON that does not parse), or null. */
  readonly blocked: string | null;
  readonly initialSeed?: string;
  /** Issues about the scenario (paths under `configuration.`), shown at the form's fields. */
  readonly onScenarioIssues: (issues: readonly Issue[]) => void;
}

const OWN_FIELDS = new Set(['output_formats', 'encryption_password', 'seed', 'use_encryption']);

export function GeneratePanel({ source, blocked, initialSeed, onScenarioIssues }: GeneratePanelProps) {
  const [formats, setFormats] = useState<readonly string[]>(['json', 'csv']);
  const [compress, setCompress] = useState(false);
  const [encrypt, setEncrypt] = useState(false);
  const [password, setPassword] = useState('');
  const [seed, setSeed] = useState(initialSeed ?? '');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [message, setMessage] = useState<string | null>(null);
  const pending = useRef(false);
  const keys = useRef(new IdempotencyKeys(() => crypto.randomUUID()));

  const options = { formats, compress, encrypt, password, seed: seedFromInput(seed) };
  const err = (key: string) => errors.get(key);

  const submit = async (event: Event) => {
    event.preventDefault();
    // A second click before the first answered: the same request is already on its way.
    if (pending.current || !source) return;
    const local = checkGenerateOptions(options);
    if (local.length > 0) {
      setErrors(new Map(local.map((p) => [p.path, [p.message]])));
      setMessage('Check the generate options.');
      return;
    }
    const request = buildGenerationRequest(source, options);
    const key = keys.current.keyFor(request);
    pending.current = true;
    setBusy(true);
    setErrors(new Map());
    setMessage(null);
    try {
      const created = await call(
        api.POST('/api/v1/generation', { body: request, headers: { 'Idempotency-Key': key } }),
      );
      keys.current.accepted();
      // The job as it stands now (pending or queued), so the jobs list shows it running at once.
      const job = await call(
        api.GET('/api/v1/jobs/{job_id}', { params: { path: { job_id: created.job_id } } }),
      ).catch(() => null);
      if (job) handOverSubmittedJob(job);
      navigate(`${href('jobs')}?job=${encodeURIComponent(created.job_id)}`);
    } catch (e) {
      if (e instanceof ApiError && e.issues.length > 0) {
        const own = new Map<string, string[]>();
        const scenario: Issue[] = [];
        for (const issue of e.issues) {
          const top = issueKey(issue.path).split('.')[0];
          if (OWN_FIELDS.has(top)) own.set(top, [...(own.get(top) ?? []), issue.message]);
          else scenario.push(issue);
        }
        setErrors(own);
        onScenarioIssues(scenario);
      }
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      // The password is never kept beyond the request that used it.
      setPassword('');
      pending.current = false;
      setBusy(false);
    }
  };

  const toggleFormat = (id: string, on: boolean) =>
    setFormats((f) => (on ? [...f.filter((x) => x !== id), id] : f.filter((x) => x !== id)));

  // Told before generating what fix 0222's results page would say after.
  const noPatientFile = formats.length > 0 && !hasPatientRecords(formats);
  const described = (key: string, hint?: string) =>
    [err(key) ? `gen-${key}-error` : undefined, hint].filter(Boolean).join(' ') || undefined;

  return (
    <section class="card generate" aria-labelledby="sec-generate">
      <h2 id="sec-generate">Generate</h2>
      <form onSubmit={submit} noValidate>
        <fieldset
          class="group"
          aria-describedby={described('output_formats', noPatientFile ? 'gen-formats-hint' : undefined)}
        >
          <legend>Formats</legend>
          <div class="format-list">
            {OUTPUT_FORMATS.map((f) => (
              <div class="check" key={f.id}>
                <input
                  id={`gen-format-${f.id}`}
                  type="checkbox"
                  checked={formats.includes(f.id)}
                  onChange={(e) => toggleFormat(f.id, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label for={`gen-format-${f.id}`}>
                  {f.label} <span class="muted">{f.hint}</span>
                </label>
              </div>
            ))}
          </div>
          {noPatientFile && (
            <p id="gen-formats-hint" class="hint">
              Without JSON or NDJSON, the results page's patient table and the flow viewer cannot show this
              job's patients (its charts can).
            </p>
          )}
          <FieldError id="gen-output_formats-error" messages={err('output_formats')} />
        </fieldset>
        <div class="check">
          <input
            id="gen-compress"
            type="checkbox"
            checked={compress}
            onChange={(e) => setCompress((e.currentTarget as HTMLInputElement).checked)}
          />
          <label for="gen-compress">Compress each file (gzip)</label>
        </div>
        <div class="check">
          <input
            id="gen-encrypt"
            type="checkbox"
            checked={encrypt}
            onChange={(e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              setEncrypt(on);
              if (!on) setPassword('');
            }}
          />
          <label for="gen-encrypt">Encrypt each file (AES-256-GCM)</label>
        </div>
        {encrypt && (
          <div class="field">
            <label for="gen-password">Encryption password</label>
            <input
              id="gen-password"
              type="password"
              autocomplete="new-password"
              minLength={MIN_PASSWORD}
              value={password}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={err('encryption_password') ? 'true' : undefined}
              aria-describedby={described('encryption_password', 'gen-password-hint')}
            />
            <p id="gen-password-hint" class="hint">
              At least {MIN_PASSWORD} characters. Not stored anywhere: keep it, you need it to decrypt.
            </p>
            <FieldError id="gen-encryption_password-error" messages={err('encryption_password')} />
          </div>
        )}
        <div class="field">
          <label for="gen-seed">Job seed</label>
          <input
            id="gen-seed"
            type="text"
            inputMode="numeric"
            value={seed}
            placeholder="empty: the server picks one"
            onInput={(e) => setSeed((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={err('seed') ? 'true' : undefined}
            aria-describedby={described('seed', 'gen-seed-hint')}
          />
          <p id="gen-seed-hint" class="hint">
            The same scenario and seed give the same patients. The job shows the seed it used.
          </p>
          <FieldError id="gen-seed-error" messages={err('seed')} />
        </div>
        {/* Busy: aria-disabled, not disabled, which would drop the keyboard focus (fix 0120). */}
        <button
          type="submit"
          class="primary-wide"
          disabled={!source}
          aria-disabled={busy ? 'true' : undefined}
          aria-describedby="gen-status"
        >
          Generate
        </button>
        <p id="gen-status" role="status" class={message ? 'error' : 'hint'}>
          {busy ? 'Submitting the job…' : (message ?? blocked ?? '')}
        </p>
      </form>
    </section>
  );
}
