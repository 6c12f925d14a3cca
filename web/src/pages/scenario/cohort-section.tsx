/** The scenario form's Cohort section: only patients matching every criterion (memory/decisions/0912-cohorts.md). */
import { useState } from 'preact/hooks';
import {
  COHORT_INJURY_TYPES,
  COHORT_OUTCOMES,
  COHORT_TRIAGE,
  type CohortCriterion,
  codesFromText,
  cohortChoices,
  cohortValues,
  toggleValue,
  withCriterion,
} from './cohort-model';
import { Group } from './fields';
import { useForm } from './form-context';
import { fieldId, issueKey } from './scenario-model';
import type { ReferenceData } from './use-reference';

const LABELS: Record<string, string> = {
  BATTLE_TRAUMA: 'Battle injury',
  NON_BATTLE: 'Non-battle injury',
  DISEASE: 'Disease',
  T4: 'T4 (expectant)',
  KIA: 'Killed in action',
  DOW: 'Died of wounds',
  RTD: 'Returned to duty',
  Remains_Role4: 'Remains at Role 4',
};

function CheckList(props: {
  readonly criterion: CohortCriterion;
  readonly legend: string;
  readonly values: readonly string[];
  readonly label?: (value: string) => string;
  readonly hint?: string;
}) {
  const { draft, set } = useForm();
  const chosen = cohortValues(draft, props.criterion);
  return (
    <Group path={['cohort', props.criterion]} legend={props.legend} hint={props.hint}>
      {props.values.length === 0 && <p class="hint">None in this scenario yet</p>}
      {props.values.map((v) => {
        const id = `${fieldId(issueKey(['cohort', props.criterion]))}-${v}`;
        return (
          <div class="check" key={v}>
            <input
              id={id}
              type="checkbox"
              checked={chosen.includes(v)}
              onChange={(e) =>
                set(
                  ['cohort'],
                  toggleValue(draft, props.criterion, v, (e.currentTarget as HTMLInputElement).checked),
                )
              }
            />
            <label for={id}>{props.label ? props.label(v) : (LABELS[v] ?? v)}</label>
          </div>
        );
      })}
    </Group>
  );
}

function ConditionCodes() {
  const { draft, set } = useForm();
  const codes = cohortValues(draft, 'conditions');
  const [text, setText] = useState(codes.join(', '));
  const shown = codesFromText(text).join(',') === codes.join(',') ? text : codes.join(', ');
  const id = fieldId(issueKey(['cohort', 'conditions', 'text']));
  return (
    <Group
      path={['cohort', 'conditions']}
      legend="Conditions"
      hint="SNOMED CT codes of the vetted table, comma-separated: a patient with any of them matches"
    >
      <label for={id} class="visually-hidden">
        Condition codes
      </label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={shown}
        placeholder="e.g. 262574004, 125596004"
        onInput={(e) => {
          const value = (e.currentTarget as HTMLInputElement).value;
          setText(value);
          set(['cohort'], withCriterion(draft, 'conditions', codesFromText(value)));
        }}
      />
    </Group>
  );
}

export function CohortSection({ reference }: { reference: ReferenceData }) {
  const { draft } = useForm();
  const { fronts, nations } = cohortChoices(draft);
  const nationNames = new Map(reference.nationalities.map((n) => [n.code as string, n.name]));
  return (
    <section class="card form-section" aria-labelledby="sec-cohort">
      <h2 id="sec-cohort">Cohort</h2>
      <p class="hint">
        Optional: only patients matching every criterion you set (any of its values), exactly the number of
        patients above. Criteria the scenario can never produce are refused when you validate.
      </p>
      <Group path={['cohort']} legend="Criteria" class="cohort-criteria">
        <div class="flag-columns">
          <CheckList criterion="injury_types" legend="Injury types" values={COHORT_INJURY_TYPES} />
          <CheckList
            criterion="triage"
            legend="Triage"
            values={COHORT_TRIAGE}
            hint="T1–T3: first assessment; T4 needs facilities with a capacity"
          />
          <CheckList criterion="outcomes" legend="Outcomes" values={COHORT_OUTCOMES} />
          <CheckList criterion="fronts" legend="Fronts" values={fronts} />
          <CheckList
            criterion="nationalities"
            legend="Nationalities"
            values={nations}
            label={(code) => (nationNames.has(code) ? `${nationNames.get(code)} (${code})` : code)}
          />
        </div>
        <ConditionCodes />
      </Group>
    </section>
  );
}
