/** Usage texts. */
import { OUTPUT_FORMATS } from '../output/index.js';

export const MAIN_HELP = `milmed: synthetic NATO military medical exercise casualties, from point of injury to Role 4

Usage:
  milmed generate (--preset ID | --scenario FILE) [--count N] [--seed S] [--format LIST] [--out DIR]
  milmed presets [--json]
  milmed validate FILE
  milmed help [COMMAND]
  milmed --version

Commands:
  generate   write patients to one file per format (json, csv by default)
  presets    list the scenario presets
  validate   check a scenario JSON file and summarise it
  help       show this text, or a command's options

Exit codes: 0 success, 1 internal error, 2 bad input (one line per problem on stderr), 130 interrupted.
`;

export const GENERATE_HELP = `Usage: milmed generate (--preset ID | --scenario FILE) [options]

Generates patients and writes one file per format in one pass over the patients.

Options:
  --preset ID        a preset scenario (list them with "milmed presets")
  --scenario FILE    a scenario JSON file (check it with "milmed validate FILE")
  --count N          number of patients, overrides total_patients (1 to 10,000,000)
  --seed S           integer or text; the same scenario and seed give the same bytes.
                     Default: the scenario's seed, else a random one that is printed
  --format LIST      comma-separated, repeatable: ${OUTPUT_FORMATS.join(', ')} (default: json,csv)
  --out DIR          output directory, created if missing (default: ./out)
  -h, --help         show this text

Progress goes to stderr (a bar on a terminal, a few plain lines in logs for 10,000+ patients);
the summary (outcomes, triage, injury types, nations, fronts, speed, files) goes to stdout.
`;

export const PRESETS_HELP = `Usage: milmed presets [--json]

Lists the scenario presets: id, name, category, difficulty, patients, days and warfare types.

Options:
  --json       print the presets as a JSON array
  -h, --help   show this text
`;

export const VALIDATE_HELP = `Usage: milmed validate FILE

Checks a scenario JSON file. Prints OK and a short summary, or one line per problem ("path: message")
on stderr with exit code 2.
`;
