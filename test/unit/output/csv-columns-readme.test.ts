/**
 * The README's table of CSV columns ("Command line" > `generate`) is the contract an integrator codes
 * against: it must name every column `patients.csv` writes, in the header's order
 * (memory/fixes/0130-csv-columns-undocumented.md).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../../lib/output/index.js';

const README = new URL('../../../README.md', import.meta.url);

/** The column names of the README table that follows "CSV columns of `patients.csv`", in order. */
async function documentedColumns(): Promise<string[]> {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf('CSV columns of `patients.csv`');
  if (start < 0) return [];
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('| column |'));
  const rows: string[] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[1];
    rows.push(...[...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  }
  return rows;
}

describe('README CSV columns', () => {
  it('documents every column of patients.csv in the order of its header', async () => {
    // Prepare
    const written = CSV_COLUMNS.map((column) => column.name);
    // Act
    const documented = await documentedColumns();
    // Assert
    expect(documented).toEqual(written);
  });
});
