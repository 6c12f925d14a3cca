/** `validate FILE`: OK and a short summary, or one `path: message` line per problem (exit 2). */
import type { Scenario } from '../generation/index.js';
import { parseCommandArgs } from './args.js';
import { VALIDATE_HELP } from './help-text.js';
import { type CliIo, EXIT_OK, UsageError, writeLines } from './io.js';
import { readScenarioFile, validateScenario } from './scenario-source.js';
import { formatCount, formatShare } from './text-table.js';

const OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

export async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, OPTIONS, true);
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'validate needs a FILE: milmed validate scenario.json'
        : `validate takes one FILE, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const file = positionals[0];
  const scenario = validateScenario(await readScenarioFile(io.cwd, file));
  writeLines(io.stdout, [`OK: ${file}`, ...describeScenario(scenario)]);
  return EXIT_OK;
}

export function describeScenario(s: Scenario): string[] {
  const on = (list: readonly string[]) => (list.length ? list.join(', ') : 'none');
  return [
    `  name:        ${s.name}`,
    `  patients:    ${formatCount(s.totalPatients)} over ${s.days} day${s.days === 1 ? '' : 's'} from ${s.baseDate}`,
    `  warfare:     ${on(s.warfareTypes)} (intensity ${s.intensity}, tempo ${s.tempo})`,
    `  fronts:      ${s.fronts.map((f) => `${f.name} ${formatShare(f.weight)} [${f.nations.join(' ')}]`).join('; ')}`,
    `  injury mix:  ${Object.entries(s.injuryMix)
      .filter(([, share]) => share > 0)
      .map(([type, share]) => `${type} ${formatShare(share)}`)
      .join(', ')}`,
    `  events:      ${on(s.specialEvents)}; environment: ${on(s.environment)}`,
    `  seed:        ${s.seed === undefined ? 'none (random per run)' : JSON.stringify(s.seed)}`,
  ];
}
