/** The form over every scenario field the API accepts (ConfigurationInput). */
import { FieldError, ScrollBox } from '../../components';
import { focusAtPageStart, focusFirst } from '../../lib/focus';
import { CohortSection } from './cohort-section';
import { CheckField, Group, NumberField, type Option, SelectField, TextField } from './fields';
import { useForm } from './form-context';
import {
  ENDEMIC_KEYS,
  ENVIRONMENT_KEYS,
  FACILITY_ROLES,
  HEMISPHERES,
  humanise,
  INJURY_KEYS,
  INTENSITIES,
  SPECIAL_EVENT_KEYS,
  TEMPOS,
  TRIAGE_KEYS,
  WARFARE_KEYS,
} from './scenario-fields';
import {
  fieldId,
  getIn,
  injuryMixSum,
  isObject,
  issueKey,
  type Json,
  nationShareSum,
  nextId,
  seedFromInput,
} from './scenario-model';
import type { ReferenceData } from './use-reference';

const options = (values: readonly string[]): Option[] =>
  values.map((v) => ({ value: v, label: humanise(v) }));

/**
 * After a Remove button took its own row away (the last nation, front or facility of a list), the
 * focus goes to the first of `ids` still on the page (the Remove button of the row now last, else the
 * list's Add button) instead of the document's start (fix 0124). A row removed from above keeps its
 * button, which then has the focus of the row after it: nothing to do.
 */
function removeThenFocus(remove: () => void, ids: readonly string[]): void {
  remove();
  requestAnimationFrame(() => {
    if (focusAtPageStart()) focusFirst(...ids);
  });
}

function SeedField() {
  const { draft, set, messages } = useForm();
  const key = 'seed';
  const id = fieldId(key);
  const errors = messages.get(key);
  const value = getIn(draft, [key]);
  return (
    <div class="field">
      <label for={id}>Scenario seed</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={value === undefined || value === null ? '' : String(value)}
        onInput={(e) => set([key], seedFromInput((e.currentTarget as HTMLInputElement).value))}
        aria-invalid={errors?.length ? 'true' : undefined}
        aria-describedby={`${id}-hint${errors?.length ? ` ${id}-error` : ''}`}
      />
      <p id={`${id}-hint`} class="hint">
        Optional. An integer or text; the Generate panel's seed wins over it.
      </p>
      <FieldError id={`${id}-error`} messages={errors} />
    </div>
  );
}

function Basics() {
  return (
    <section class="card form-section" aria-labelledby="sec-basics">
      <h2 id="sec-basics">Scenario</h2>
      <div class="form-grid">
        <TextField path={['name']} label="Scenario name" class="span-2" />
        <NumberField
          path={['total_patients']}
          label="Patients"
          min={1}
          step={1}
          hint="Per job: at most 1,000,000 unless the stage or your API key sets a lower cap"
        />
        <NumberField
          path={['days_of_fighting']}
          label="Days of fighting"
          min={1}
          max={365}
          step={1}
          placeholder="8 (default)"
        />
        <TextField path={['base_date']} label="Base date (UTC)" type="date" />
        <SelectField
          path={['hemisphere']}
          label="Hemisphere"
          options={options(HEMISPHERES)}
          optional="(default: northern)"
          hint="With the month of each injury, the season: cold injuries in winter, heat illness in summer (not with extreme heat or cold)"
        />
        <NumberField
          path={['female_ratio']}
          label="Female ratio"
          min={0}
          max={1}
          step={0.01}
          placeholder="0.12 (default)"
          hint="0 to 1 (0.12 = 12%)"
        />
        <NumberField
          path={['evacuation_policy_days']}
          label="Evacuation policy (days)"
          min={0}
          max={60}
          step={1}
          placeholder="none (default)"
          hint="Days a casualty may be held at Role 2 or 3 until fit for duty (longer: on to Role 4). Empty: none held"
        />
        <SelectField
          path={['intensity']}
          label="Intensity"
          options={options(INTENSITIES)}
          optional="(default: medium)"
        />
        <SelectField
          path={['tempo']}
          label="Tempo"
          options={options(TEMPOS)}
          optional="(default: sustained)"
        />
        <SeedField />
        <TextField path={['description']} label="Description" multiline class="span-3" />
      </div>
    </section>
  );
}

function InjuryMix() {
  const { draft } = useForm();
  const sum = injuryMixSum(draft);
  return (
    <Group
      path={['injury_distribution']}
      legend="Injury mix"
      hint={`Fractions summing to 1 or percentages summing to 100 · now ${sum}`}
      class="card"
    >
      <div class="form-grid">
        {INJURY_KEYS.map((k) => (
          <NumberField key={k} path={['injury_distribution', k]} label={k} min={0} step={0.01} />
        ))}
      </div>
    </Group>
  );
}

function Flags({ reference }: { reference: ReferenceData }) {
  const names = new Map(reference.warfareTypes.map((w) => [w.id as string, w.name]));
  return (
    <section class="card form-section" aria-labelledby="sec-conditions">
      <h2 id="sec-conditions">Warfare, events and environment</h2>
      <div class="flag-columns">
        <Group path={['warfare_types']} legend="Warfare types" hint="At least one">
          {WARFARE_KEYS.map((k) => (
            <CheckField key={k} path={['warfare_types', k]} label={names.get(k) ?? humanise(k)} />
          ))}
        </Group>
        <Group path={['special_events']} legend="Special events">
          {SPECIAL_EVENT_KEYS.map((k) => (
            <CheckField key={k} path={['special_events', k]} label={humanise(k)} />
          ))}
        </Group>
        <Group path={['environmental_conditions']} legend="Environmental conditions">
          {ENVIRONMENT_KEYS.map((k) => (
            <CheckField key={k} path={['environmental_conditions', k]} label={humanise(k)} />
          ))}
        </Group>
        <Group
          path={['endemic_diseases']}
          legend="Endemic diseases"
          hint="Those of the theatre; none in a temperate or arctic one"
        >
          {ENDEMIC_KEYS.map((k) => (
            <CheckField key={k} path={['endemic_diseases', k]} label={humanise(k)} />
          ))}
        </Group>
      </div>
    </section>
  );
}

function Fronts({ reference }: { reference: ReferenceData }) {
  const { draft, set } = useForm();
  const fronts = getIn(draft, ['front_configs']);
  const list = Array.isArray(fronts) ? fronts : [];
  const total = list.reduce<number>((acc, f) => {
    const r = getIn(f, ['casualty_rate']);
    return acc + (typeof r === 'number' && r > 0 ? r : 0);
  }, 0);
  const nationOptions: Option[] = reference.nationalities.map((n) => ({
    value: n.code,
    label: `${n.name} (${n.code})`,
  }));
  const addFront = (front: Json) => set(['front_configs', list.length], front);
  return (
    <Group
      path={['front_configs']}
      legend="Fronts"
      hint="Casualty rates are relative shares; each front's nation percentages are normalised."
      class="card"
    >
      {list.map((front, i) => {
        const name = String(getIn(front, ['name']) ?? `Front ${i + 1}`);
        const rate = getIn(front, ['casualty_rate']);
        const share = typeof rate === 'number' && total > 0 ? (rate / total) * 100 : 0;
        const nations = getIn(front, ['nationality_distribution']);
        const nationList = Array.isArray(nations) ? nations : [];
        return (
          <div key={i} class="front">
            <Group
              path={['front_configs', i]}
              legend={
                <span>
                  {name} <span class="muted">· {share.toFixed(1)}% of casualties</span>
                </span>
              }
            >
              <div class="form-grid">
                <TextField path={['front_configs', i, 'name']} label="Front name" />
                <TextField path={['front_configs', i, 'id']} label="Front id" />
                <NumberField
                  path={['front_configs', i, 'casualty_rate']}
                  label="Casualty rate"
                  min={0}
                  step={0.05}
                />
              </div>
              <TextField path={['front_configs', i, 'description']} label="Front description" />
              <Group
                path={['front_configs', i, 'nationality_distribution']}
                legend={`Nations of ${name}`}
                hint={`Percentages · now ${nationShareSum(front)}`}
                class="nations"
              >
                {nationList.map((_, j) => (
                  <div key={j} class="nation-row">
                    <SelectField
                      path={['front_configs', i, 'nationality_distribution', j, 'nationality_code']}
                      label={`Nation ${j + 1} of ${name}`}
                      hideLabel
                      options={nationOptions}
                      optional="Choose a nation"
                    />
                    <NumberField
                      path={['front_configs', i, 'nationality_distribution', j, 'percentage']}
                      label={`Percentage of nation ${j + 1} of ${name}`}
                      hideLabel
                      min={0}
                      max={100}
                      step={1}
                    />
                    <button
                      type="button"
                      id={`remove-nation-${i}-${j}`}
                      class="secondary small"
                      aria-label={`Remove nation ${j + 1} of ${name}`}
                      onClick={() =>
                        removeThenFocus(
                          () => set(['front_configs', i, 'nationality_distribution', j], undefined),
                          [`remove-nation-${i}-${j - 1}`, `add-nation-${i}`],
                        )
                      }
                    >
                      Remove
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  id={`add-nation-${i}`}
                  class="secondary small"
                  onClick={() =>
                    set(['front_configs', i, 'nationality_distribution', nationList.length], {
                      nationality_code: '',
                      percentage: 10,
                    })
                  }
                >
                  Add nation
                </button>
              </Group>
              <button
                type="button"
                id={`remove-front-${i}`}
                class="danger small"
                aria-label={`Remove front ${name}`}
                onClick={() =>
                  removeThenFocus(
                    () => set(['front_configs', i], undefined),
                    [`remove-front-${i - 1}`, 'add-front'],
                  )
                }
              >
                Remove front
              </button>
            </Group>
          </div>
        );
      })}
      <div class="row">
        <button
          type="button"
          id="add-front"
          class="secondary"
          onClick={() =>
            addFront({
              id: nextId(list, 'front'),
              name: `Front ${list.length + 1}`,
              casualty_rate: 0.1,
              nationality_distribution: [{ nationality_code: 'USA', percentage: 100 }],
            })
          }
        >
          Add front
        </button>
        {reference.staticFronts.length > 0 && (
          <>
            <label for="add-static-front" class="visually-hidden">
              Add a standard front
            </label>
            <select
              id="add-static-front"
              value=""
              onChange={(e) => {
                const sf = reference.staticFronts.find(
                  (f) => f.id === (e.currentTarget as HTMLSelectElement).value,
                );
                if (!sf) return;
                addFront({
                  id: list.some((f) => getIn(f, ['id']) === sf.id) ? nextId(list, sf.id) : sf.id,
                  name: sf.name,
                  casualty_rate: sf.ratio,
                  nationality_distribution: sf.nations.map((n) => ({ ...n })),
                });
              }}
            >
              <option value="">Add a standard front…</option>
              {reference.staticFronts.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
    </Group>
  );
}

/** A facility's two rates, each under its short tag in one cell (fix 0073). */
const FACILITY_RATES = [
  ['KIA', 'kia_rate'],
  ['RTD', 'rtd_rate'],
] as const;

function Facilities({ reference }: { reference: ReferenceData }) {
  const { draft, set } = useForm();
  const facilities = getIn(draft, ['facility_configs']);
  const list = Array.isArray(facilities) ? facilities : [];
  const roleNames = new Map(reference.facilityTypes.map((f) => [f.facility as string, f.name]));
  const roleOptions: Option[] = FACILITY_ROLES.map((r) => ({ value: r, label: roleNames.get(r) ?? r }));
  const fronts = getIn(draft, ['front_configs']);
  const frontOptions: Option[] = (Array.isArray(fronts) ? fronts : []).flatMap((f) => {
    const id = getIn(f, ['id']);
    return typeof id === 'string' && id !== ''
      ? [{ value: id, label: String(getIn(f, ['name']) || id) }]
      : [];
  });
  return (
    <Group
      path={['facility_configs']}
      legend="Facilities"
      hint="KIA and RTD rates per echelon (0 to 1; their sum at most 1). Beds: the capacity (empty: unlimited); a full facility makes patients wait or sends them elsewhere. Front: the front it serves (empty: every front). Empty list: the built-in rates, unlimited beds."
      class="card"
    >
      {list.length > 0 && (
        // Two fields a cell (id over name, role over front, KIA over RTD rate): eight columns side by side
        // squeezed the rates unreadable in the form's column at 1280 and 1024 px (memory/fixes/0073).
        <ScrollBox class="facility-scroll" label="Facilities table">
          <table class="facility-table">
            <thead>
              <tr>
                <th scope="col">Id / name</th>
                <th scope="col">Role / front</th>
                <th scope="col">Beds</th>
                <th scope="col">KIA / RTD rate</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((f, i) => {
                const label = String(getIn(f, ['name']) || getIn(f, ['id']) || `facility ${i + 1}`);
                const rowKey = issueKey(['facility_configs', i]);
                return (
                  <tr key={i} id={fieldId(rowKey)} tabIndex={-1}>
                    <td class="stack names">
                      <TextField
                        path={['facility_configs', i, 'id']}
                        label={`Id of ${label}`}
                        hideLabel
                        class="id-field"
                      />
                      <TextField
                        path={['facility_configs', i, 'name']}
                        label={`Name of ${label}`}
                        hideLabel
                      />
                    </td>
                    <td class="stack roles">
                      <SelectField
                        path={['facility_configs', i, 'role']}
                        label={`Role of ${label}`}
                        hideLabel
                        options={roleOptions}
                        optional="(from id or name)"
                      />
                      <SelectField
                        path={['facility_configs', i, 'front_id']}
                        label={`Front of ${label}`}
                        hideLabel
                        options={frontOptions}
                        optional="(every front)"
                      />
                    </td>
                    <td class="beds">
                      <NumberField
                        path={['facility_configs', i, 'capacity']}
                        label={`Capacity of ${label}`}
                        hideLabel
                        min={1}
                        step={1}
                      />
                    </td>
                    <td class="stack rates">
                      {FACILITY_RATES.map(([tag, field]) => (
                        <div class="tagged" key={field}>
                          <span aria-hidden="true">{tag}</span>
                          <NumberField
                            path={['facility_configs', i, field]}
                            label={`${tag} rate of ${label}`}
                            hideLabel
                            min={0}
                            max={1}
                            step={0.01}
                          />
                        </div>
                      ))}
                    </td>
                    <td class="actions">
                      <button
                        type="button"
                        id={`remove-facility-${i}`}
                        class="secondary small"
                        aria-label={`Remove ${label}`}
                        title={`Remove ${label}`}
                        onClick={() =>
                          removeThenFocus(
                            () => set(['facility_configs', i], undefined),
                            [`remove-facility-${i - 1}`, 'add-facility'],
                          )
                        }
                      >
                        <span aria-hidden="true">✕</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <FacilityRowErrors count={list.length} />
      <button
        type="button"
        id="add-facility"
        class="secondary"
        onClick={() =>
          set(['facility_configs', list.length], {
            id: nextId(list, 'facility'),
            name: `Role ${Math.min(4, list.length + 1)} facility`,
            role: FACILITY_ROLES[Math.min(4, list.length + 1)],
            kia_rate: 0.02,
            rtd_rate: 0.2,
          })
        }
      >
        Add facility
      </button>
    </Group>
  );
}

/** Messages about a whole facility row (unknown keys) have no input of their own: listed under the table. */
function FacilityRowErrors({ count }: { count: number }) {
  const { messages } = useForm();
  const rows: { i: number; messages: readonly string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const m = messages.get(issueKey(['facility_configs', i]));
    if (m?.length) rows.push({ i, messages: m });
  }
  if (rows.length === 0) return null;
  return (
    <ul class="field-error">
      {rows.flatMap((r) => r.messages.map((m) => <li key={`${r.i}${m}`}>{`Facility ${r.i + 1}: ${m}`}</li>))}
    </ul>
  );
}

function TriageOverrides() {
  const { draft, set } = useForm();
  const overrides = getIn(draft, ['triage_overrides']);
  return (
    <Group
      path={['triage_overrides']}
      legend="Triage overrides"
      hint="Optional relative weights of T1, T2 and T3 per injury type, replacing the built-in triage mix."
      class="card"
    >
      {INJURY_KEYS.map((k) => {
        const on = getIn(overrides, [k]) !== undefined;
        const id = `override-${k.replace(/\W+/g, '-').toLowerCase()}`;
        return (
          <div key={k} class="override-row">
            <div class="check">
              <input
                id={id}
                type="checkbox"
                checked={on}
                onChange={(e) =>
                  (e.currentTarget as HTMLInputElement).checked
                    ? set(['triage_overrides', k], { T1: 20, T2: 30, T3: 50 })
                    : set(
                        Object.keys(isObject(overrides) ? overrides : {}).length <= 1
                          ? ['triage_overrides']
                          : ['triage_overrides', k],
                        undefined,
                      )
                }
              />
              <label for={id}>Override triage for {k}</label>
            </div>
            {on && (
              <Group path={['triage_overrides', k]} legend={`Triage weights for ${k}`} class="inline">
                <div class="form-grid">
                  {TRIAGE_KEYS.map((t) => (
                    <NumberField
                      key={t}
                      path={['triage_overrides', k, t]}
                      label={`${t} weight`}
                      min={0}
                      step={1}
                    />
                  ))}
                </div>
              </Group>
            )}
          </div>
        );
      })}
    </Group>
  );
}

export function ScenarioForm({ reference }: { reference: ReferenceData }) {
  return (
    <div class="scenario-form">
      <Basics />
      <InjuryMix />
      <Flags reference={reference} />
      <Fronts reference={reference} />
      <Facilities reference={reference} />
      <TriageOverrides />
      <CohortSection reference={reference} />
    </div>
  );
}
