/**
 * The mechanism of an injury, drawn for the patient's primary condition among the mechanisms that can
 * cause it, so a bullet wound is never "struck by explosion" nor a burn "struck by firearm discharge"
 * (memory/fixes/0244-mechanisms-that-could-not-cause-the-injury.md).
 */
import { type Coding, MECHANISMS, type Mechanism } from '../data/index.js';
import { cumulative, drawCumulative, type Rng } from './rng.js';

interface MechanismChoice {
  readonly mechanisms: readonly Coding[];
  readonly cdf: Float64Array;
}

/** One injury type's mechanisms under one warfare type: by primary condition, and for any other. */
export interface MechanismTable {
  readonly any: MechanismChoice;
  readonly byCondition: ReadonlyMap<string, MechanismChoice>;
}

type Weights = Readonly<Partial<Record<Mechanism, number>>>;

function choiceOf(keys: readonly Mechanism[], weights: readonly number[]): MechanismChoice {
  return { mechanisms: keys.map((k) => MECHANISMS[k]), cdf: cumulative(weights) };
}

const FIT_ROUNDS = 200;
const FIT_TOLERANCE = 1e-12;

/**
 * The table of `weights` (a warfare type's, or the non-battle ones) under `restrictions` (condition
 * code → the mechanisms that can cause it; a condition not listed: any).
 *
 * With `shares` (each primary condition's share of the injuries), the table keeps the mechanisms at
 * their weights over all those injuries, as far as the restrictions allow: the joint table of
 * condition and mechanism is fitted to both (iterative proportional fitting, the impossible pairs at
 * zero), so where bullet wounds must be a firearm's, the other conditions take the firearm less often.
 * Without, each restricted condition takes the weights of its own mechanisms.
 *
 * A condition none of whose mechanisms the warfare type has (a bullet wound under artillery fire)
 * takes its own mechanisms evenly: the condition decides what caused it.
 */
export function mechanismTable(
  weights: Weights,
  restrictions: Readonly<Record<string, readonly Mechanism[]>>,
  shares?: ReadonlyMap<string, number>,
): MechanismTable {
  const keys = (Object.keys(weights) as Mechanism[]).filter((k) => (weights[k] ?? 0) > 0);
  const allowedOf = (code: string) => {
    const own = restrictions[code];
    return own === undefined ? keys : keys.filter((k) => own.includes(k));
  };
  const byCondition = new Map<string, MechanismChoice>();
  for (const [code, own] of Object.entries(restrictions)) {
    const allowed = allowedOf(code);
    byCondition.set(
      code,
      allowed.length === 0
        ? choiceOf(
            own,
            own.map(() => 1),
          )
        : choiceOf(
            keys,
            keys.map((k) => (allowed.includes(k) ? weights[k]! : 0)),
          ),
    );
  }
  const any = choiceOf(
    keys,
    keys.map((k) => weights[k]!),
  );
  if (!shares) return { any, byCondition };

  // Fit the joint table of the conditions the warfare type's mechanisms can cause.
  const fitted = [...shares].filter(([code, share]) => share > 0 && allowedOf(code).length > 0);
  const rows = fitted.map(([code, share]) => {
    const allowed = allowedOf(code);
    return { code, share, cells: keys.map((k) => (allowed.includes(k) ? share * weights[k]! : 0)) };
  });
  const mass = rows.reduce((sum, row) => sum + row.share, 0);
  const weightSum = keys.reduce((sum, k) => sum + weights[k]!, 0);
  const targets = keys.map((k) => (weights[k]! / weightSum) * mass);
  for (let round = 0; round < FIT_ROUNDS; round++) {
    for (const row of rows) {
      const sum = row.cells.reduce((a, b) => a + b, 0);
      for (let m = 0; m < keys.length; m++) row.cells[m] *= row.share / sum;
    }
    let off = 0;
    for (let m = 0; m < keys.length; m++) {
      const sum = rows.reduce((acc, row) => acc + row.cells[m], 0);
      if (sum === 0) continue;
      off = Math.max(off, Math.abs(sum - targets[m]));
      for (const row of rows) row.cells[m] *= targets[m] / sum;
    }
    if (off < FIT_TOLERANCE) break;
  }
  for (const row of rows) byCondition.set(row.code, choiceOf(keys, row.cells));
  const free = rows.find((row) => restrictions[row.code] === undefined);
  return { any: free ? choiceOf(keys, free.cells) : any, byCondition };
}

/**
 * The mechanism of a primary condition, or null where none of the vetted mechanisms causes it. Always
 * one draw, so nothing else in the record depends on which mechanisms were possible.
 */
export function drawMechanism(rng: Rng, table: MechanismTable, conditionCode: string): Coding | null {
  const choice = table.byCondition.get(conditionCode) ?? table.any;
  if (choice.mechanisms.length === 0) {
    rng.next();
    return null;
  }
  return choice.mechanisms[drawCumulative(rng, choice.cdf)];
}
