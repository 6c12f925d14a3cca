/** The README as the tests that run its examples read it: one section's fenced code blocks. */
import { readFile } from 'node:fs/promises';

const README = new URL('../../README.md', import.meta.url);

/**
 * The ```lang blocks of the README section under `heading` (the whole heading line, e.g.
 * "## Encrypted files"), in order; the section runs to the next second-level heading.
 */
export async function readmeCodeBlocks(heading: string, lang: string): Promise<string[]> {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const fence = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g');
  return [...section.matchAll(fence)].map((m) => m[1]);
}
