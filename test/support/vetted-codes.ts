/**
 * The vetted clinical codes of shared/reference/codes.md: only these may appear in output.
 * Reads the committed copy (test/fixtures/vetted-codes.md) and, when it sits beside the repository
 * (as in CI), the shared reference too: the copy may hold codes added since, each with its public
 * source in memory/reference/clinical-code-sources.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHARED = fileURLToPath(new URL('../../../shared/reference/codes.md', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/vetted-codes.md', import.meta.url));

export interface VettedCode {
  readonly code: string;
  readonly system: string;
  readonly display: string;
  readonly section: string;
}

/** Rows of the verified tables (sections 1 to 7); the "wrong" and "unverified" sections are excluded. */
export function loadVettedCodes(): Map<string, VettedCode> {
  const codes = new Map<string, VettedCode>();
  for (const file of [SHARED, FIXTURE]) if (existsSync(file)) readInto(codes, readFileSync(file, 'utf8'));
  return codes;
}

function readInto(codes: Map<string, VettedCode>, text: string): void {
  let section = '';
  let verifiedSection = false;
  for (const line of text.split('\n')) {
    const heading = /^## (.*)$/.exec(line);
    if (heading) {
      section = heading[1];
      verifiedSection = /^[1-7]a?\. /.test(section);
      continue;
    }
    if (!verifiedSection || !line.startsWith('| ')) continue;
    const cells = line.split('|').map((c) => c.trim());
    // | code | system | display | ... | confidence |
    const [, code, system, display] = cells;
    const confidence = cells[cells.length - 2];
    if (!code || code === 'code' || code.startsWith('---') || confidence !== 'verified') continue;
    codes.set(`${system}|${code}`, { code, system, display, section });
  }
}

/** Display without the SNOMED semantic tag and case, for comparing names. */
export function normaliseDisplay(display: string): string {
  return display
    .replace(
      /\s*\((disorder|finding|procedure|body structure|qualifier value|event|substance|product|regime\/therapy|morphologic abnormality)\)\s*$/i,
      '',
    )
    .toLowerCase()
    .trim();
}
