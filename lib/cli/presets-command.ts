/** `presets`: the preset scenarios as a table (or JSON with --json). */
import { PRESETS } from '../data/index.js';
import { presetSummary } from '../generation/index.js';
import { parseCommandArgs } from './args.js';
import { PRESETS_HELP } from './help-text.js';
import { type CliIo, EXIT_OK, writeLines } from './io.js';
import { formatCount, formatTable } from './text-table.js';

const OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export function presetsCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseCommandArgs('presets', args, OPTIONS);
  if (values.help) {
    io.stdout.write(PRESETS_HELP);
    return EXIT_OK;
  }
  if (values.json) {
    const list = PRESETS.map(presetSummary);
    io.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return EXIT_OK;
  }
  writeLines(
    io.stdout,
    formatTable(
      [
        { title: 'ID' },
        { title: 'Name' },
        { title: 'Category' },
        { title: 'Difficulty' },
        { title: 'Patients', align: 'right' },
        { title: 'Days', align: 'right' },
        { title: 'Warfare types' },
      ],
      PRESETS.map((p) => [
        p.id,
        p.name,
        p.category,
        p.difficulty,
        formatCount(p.total_patients),
        String(p.duration_days),
        p.warfare_types.join(', '),
      ]),
    ),
  );
  return EXIT_OK;
}
