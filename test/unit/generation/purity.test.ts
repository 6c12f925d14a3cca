import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = new URL('../../../lib/generation/', import.meta.url).pathname;

describe('engine purity', () => {
  it('uses no wall clock and no unseeded randomness in lib/generation', () => {
    // Prepare
    const forbidden = [
      /Math\.random/,
      /Date\.now/,
      /randomUUID/,
      /new Date\(\)/,
      /performance\.now/,
      /process\.env/,
    ];
    // Act
    const hits = readdirSync(ENGINE)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        readFileSync(join(ENGINE, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ f, i, line }))
          .filter(({ line }) => forbidden.some((re) => re.test(line)))
          .map(({ f, i, line }) => `${f}:${i + 1}: ${line.trim()}`),
      );
    // Assert
    expect(hits).toEqual([]);
  });

  it('imports nothing but zod, lib/data and its own modules', () => {
    const imports = readdirSync(ENGINE)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(join(ENGINE, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]),
      );
    const foreign = imports.filter((m) => !(m === 'zod' || m.startsWith('./') || m.startsWith('../data/')));
    expect(foreign).toEqual([]);
  });
});
