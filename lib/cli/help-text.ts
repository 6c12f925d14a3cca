/** Usage texts (no imports: `help` and `presets` load nothing else; a unit test checks the format list). */

export const MAIN_HELP = `milmed: synthetic NATO military medical exercise casualties, from point of injury to Role 4

Usage:
  milmed generate (--preset ID | --scenario FILE) [--count N] [--seed S] [--format LIST] [--out DIR]
                  [--cohort JSON] [--fhir-bundle TYPE] [--compress] [--encrypt [--password-env NAME]]
                  [--zip [--keep-files]]
  milmed presets [--json]
  milmed validate FILE
  milmed decrypt --in FILE --out FILE [--password-env NAME]
  milmed keys create|list|show|rotate|revoke|usage|bootstrap [options]   (MILMED_ADMIN_KEY)
  milmed help [COMMAND]
  milmed --version

Commands:
  generate   write patients to one file per format (json, csv by default)
  presets    list the scenario presets
  validate   check a scenario JSON file and summarise it
  decrypt    decrypt a file written with generate --encrypt
  keys       API keys of a deployment: create, list, show, rotate, revoke, usage; bootstrap a stage
  help       show this text, or a command's options

Exit codes: 0 success, 1 failure (output not written, cohort too rare to find, internal error),
2 bad input (one line per problem on stderr), 130 interrupted (143 by SIGTERM).
`;

export const GENERATE_HELP = `Usage: milmed generate (--preset ID | --scenario FILE) [options]

Generates patients and writes one file per format in one pass over the patients.

Options:
  --preset ID        a preset scenario (list them with "milmed presets")
  --scenario FILE    a scenario JSON file, at most 1 MiB (check it with "milmed validate FILE"), or
                     a job's scenario as GET /api/v1/jobs/{id}/scenario answers it (its seed inside)
  --count N          number of patients, overrides total_patients (1 to 10,000,000)
  --seed S           integer or text; the same scenario and seed give the same bytes.
                     Default: the scenario's seed, else a random one that is printed
  --cohort JSON      only patients matching every criterion, exactly --count of them, e.g.
                     '{"conditions":["262574004"],"triage":["T1"],"outcomes":["DOW"]}'; criteria:
                     conditions, injury_types, triage, outcomes, nationalities, fronts
  --format LIST      comma-separated, repeatable: json, ndjson, csv, fhir, xml (default: json,csv)
  --fhir-bundle TYPE FHIR bundle type: collection (default) or transaction (to POST to a server)
  --compress         gzip each file: patients.json.gz
  --encrypt          encrypt each file (after --compress) with AES-256-GCM: patients.json.gz.enc
  --password-env NAME  environment variable holding the password (default: ENCRYPTION_PASSWORD);
                     unset on a terminal: asked twice, without echo. Never on the command line.
                     At least 8 characters
  --zip              write patients.zip instead of loose files: every file plus manifest.json
                     (sizes, SHA-256, scenario, seed; with --encrypt, no scenario or seed)
  --keep-files       with --zip, keep the loose files next to patients.zip
  --out DIR          output directory, created if missing (default: ./out)
  -h, --help         show this text

All files come from one pass over the patients. Files are written as NAME.partial and renamed when
complete; a failed or interrupted run removes them. One run at a time per --out directory: a second
run into it while the first writes exits 2 (a killed run's lock is taken over after 30 s).
Progress goes to stderr (a bar on a terminal, a few plain lines in logs for 10,000+ patients);
the summary (outcomes, triage, injury types, nations, fronts, speed, files) goes to stdout.
`;

export const DECRYPT_HELP = `Usage: milmed decrypt --in FILE --out FILE [--password-env NAME]

Decrypts a file written with "generate --encrypt" (AES-256-GCM, see "Encrypted files" in the README),
streaming. A .gz.enc file decrypts to the .gz file (gunzip it afterwards).

Options:
  --in FILE            the encrypted file (.enc), or a pipe such as /dev/stdin
  --out FILE           the decrypted file; written as FILE.partial and renamed only when the
                       authentication tag has been verified at the end of the input
  --password-env NAME  environment variable holding the password (default: ENCRYPTION_PASSWORD);
                       unset on a terminal: asked without echo. Never on the command line
  -h, --help           show this text

A wrong password, a changed or truncated file, or a file that is not encrypted: one line on stderr,
exit code 2, and no output file.
`;

export const PRESETS_HELP = `Usage: milmed presets [--json]

Lists the scenario presets: id, name, category, difficulty, patients, days and warfare types.

Options:
  --json       print the presets as a JSON array
  -h, --help   show this text
`;

export const VALIDATE_HELP = `Usage: milmed validate FILE

Checks a scenario JSON file (at most 1 MiB; a pipe such as /dev/stdin works too). Prints OK and a
short summary, or one line per problem ("path: message") on stderr with exit code 2.
`;

export const KEYS_HELP = `Usage: milmed keys SUBCOMMAND [options]

API keys of a deployment, through its admin API. The admin key comes from MILMED_ADMIN_KEY only
(never an option: it would stay in shell history); the API from --api URL, else MILMED_API_URL, else
http://127.0.0.1:3000 (npm start). Plain http:// only to localhost.

  milmed keys create --owner O --name N [--scope generate|admin ...] [--limits-preset standard|demo]
                     [--max-patients-per-job N] [--max-concurrent-jobs N] [--daily-patient-quota N]
                     [--daily-job-quota N] [--requests-per-minute N] [--expires-at ISO]
  milmed keys list [--owner O] [--limit N | --all]
  milmed keys show KEY_ID [--days N]
  milmed keys rotate KEY_ID [--grace-hours H]
  milmed keys revoke KEY_ID
  milmed keys usage KEY_ID [--days N]
  milmed keys bootstrap --stage S [--owner O] [--name N] [--region R]

Subcommands:
  create     issue a key for owner O (the tenant whose jobs and configurations it sees); prints the
             key once. Scopes: generate (default; jobs, downloads, configurations) and admin (this
             API), repeatable or comma-separated. Limits: the preset's (standard: the stage's
             defaults; demo: 50 patients a job, 5 jobs a day), each overridden by its option.
             --expires-at: an ISO 8601 UTC time in the future, e.g. 2027-01-31T00:00:00Z
  list       keys, newest first: --owner O for one owner's, --limit N (1 to 100, default 20) or --all
  show       one key: scopes, status, limits, and use per UTC day (--days N, 1 to 31, default 7)
  rotate     a new secret, printed once; the old one keeps working for --grace-hours H (0 to 720,
             default 24; 0 stops it at once)
  revoke     stop the key: at once in the local stack, within 60 s deployed (the authorizer's cache)
  usage      requests, jobs and patients per UTC day (--days N, 1 to 31, default 7)
  bootstrap  the first admin key of a stage, written straight into its keys table (milmed-S-api-keys)
             with your AWS credentials (AWS_PROFILE, SSO, environment; --region or AWS_REGION;
             AWS_ENDPOINT_URL_DYNAMODB for an emulator). Owner default ops. Prints the key once

Options of every subcommand:
  --api URL    the API's base URL, with or without /api/v1 (not bootstrap)
  --json       print the API's JSON answer instead of tables (the warning of a new key goes to stderr)
  -h, --help   show this text

Exit codes: 0 done; 2 bad input, or the API refused the request (4xx but 429: a bad value, an
unknown key id, or MILMED_ADMIN_KEY wrong (401) or not an admin key (403)); 1 the API failed or
could not be reached (5xx, 429, network): trying again later may work.
`;
