/**
 * An emulator child of the local stack (infra/local/emulator-process.ts) loads only its server: nothing
 * of lib/ and no aws-cdk-lib, which cost it half its start-up (memory/decisions/0925).
 */
import { describe, expect, it } from 'vitest';
import { importedFiles } from '../../support/imported-files.js';

describe('emulator process', () => {
  it('imports nothing from lib/ and never aws-cdk-lib, while emulators.ts does', async () => {
    // Prepare
    const child = 'infra/local/emulator-process.ts';
    const parent = 'infra/local/emulators.ts';
    // Act
    const [childFiles, parentFiles] = await Promise.all([importedFiles(child), importedFiles(parent)]);
    // Assert
    expect(childFiles).toContain('infra/local/emulator-servers.ts');
    expect(childFiles.filter((f) => f.startsWith('lib/'))).toEqual([]);
    expect(childFiles.filter((f) => f.startsWith('aws-cdk-lib'))).toEqual([]);
    expect(parentFiles.some((f) => f.startsWith('lib/'))).toBe(true);
  });
});
