/** A stand-in for web/dist (index.html and assets/), so stack tests never build the console. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function webDistFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'milmed-web-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="assets/app.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  return dir;
}
