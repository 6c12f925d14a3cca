/**
 * Creates a directory and its missing parents, as `mkdir -p` does. Node's own recursive mkdir
 * (`{ recursive: true }`, sync, callback and promise alike, Node 20) never returns when the
 * directory cannot be made in a parent that exists, such as `/proc/x`: it retries the parent, finds
 * it there, and tries the child again, forever (memory/fixes/0202-recursive-mkdir-hung-on-proc.md).
 * Here each missing directory is made once, from the top, and the first refusal is thrown as it came
 * (ENOENT, EACCES, ENOTDIR, EEXIST for a file of that name, …).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const found = statSync(current, { throwIfNoEntry: false });
    if (found) {
      if (found.isDirectory()) break;
      // The path itself, or one of its parents, is a file: mkdir says which in its own code.
      mkdirSync(current);
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Made by another process meanwhile: as good as made here.
      if ((error as { code?: string }).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
    }
  }
}
