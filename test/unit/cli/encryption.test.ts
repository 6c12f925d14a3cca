import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEncryptStream, HEADER_BYTES, SEGMENT_SIZE, TAG_BYTES } from '../../../lib/output/index.js';
import { readAll, unzip } from '../../support/zip.js';
import { FakeTerminal, runCli, withTempDir } from './support.js';

const PASSWORD = 'correct horse battery';
const env = { ENCRYPTION_PASSWORD: PASSWORD };
const V1_FIXTURE = new URL('../../fixtures/encryption/v1-patients.ndjson.enc', import.meta.url);
const V1_FIXTURE_PLAIN = new URL('../../fixtures/encryption/v1-patients.ndjson', import.meta.url);
const generate = ['generate', '--preset', 'training_exercise', '--seed', '3', '--count', '12'];

async function encryptFile(path: string, plaintext: Buffer, password = PASSWORD): Promise<void> {
  await writeFile(path, await readAll(Readable.from([plaintext]).pipe(createEncryptStream(password))));
}

/** Exit 2 with exactly one stderr line and no stack trace. */
function expectOneLineError(run: { code: number; stderr: string }): string {
  expect(run.code).toBe(2);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/^\s+at |Error:/);
  return lines[0];
}

describe('milmed generate --encrypt', () => {
  it('writes .enc files (after gzip with --compress) that decrypt to the plaintext output of the same seed', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const plain = await runCli([...generate, '--format', 'json,fhir', '--out', join(dir, 'plain')]);
      // Act
      const encrypted = await runCli(
        [...generate, '--format', 'json,fhir', '--compress', '--encrypt', '--out', join(dir, 'enc')],
        dir,
        { env },
      );
      const decrypted = await Promise.all(
        ['patients.json', 'patients.fhir.ndjson'].map((name) =>
          runCli(['decrypt', '--in', `enc/${name}.gz.enc`, '--out', `dec/${name}.gz`], dir, { env }),
        ),
      );
      // Assert
      expect([plain.code, encrypted.code, ...decrypted.map((r) => r.code)]).toEqual([0, 0, 0, 0]);
      expect((await readdir(join(dir, 'enc'))).sort()).toEqual([
        'patients.fhir.ndjson.gz.enc',
        'patients.json.gz.enc',
      ]);
      const head = await readFile(join(dir, 'enc', 'patients.json.gz.enc'));
      expect(head.subarray(0, 5)).toEqual(Buffer.from('MMPG\u0002', 'latin1'));
      for (const name of ['patients.json', 'patients.fhir.ndjson']) {
        const gz = await readFile(join(dir, 'dec', `${name}.gz`));
        expect(gunzipSync(gz).equals(await readFile(join(dir, 'plain', name))), name).toBe(true);
      }
      expect(decrypted[0].stdout).toMatch(
        /^decrypted enc\/patients\.json\.gz\.enc → dec\/patients\.json\.gz \(/,
      );
      expect(encrypted.stdout + encrypted.stderr).not.toContain(PASSWORD);
    });
  });

  it('reads the password from the variable named by --password-env, for generate and decrypt', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli(
        [...generate, '--format', 'csv', '--encrypt', '--password-env', 'EXERCISE_KEY', '--out', dir],
        dir,
        { env: { EXERCISE_KEY: PASSWORD } },
      );
      const back = await runCli(
        ['decrypt', '--in', 'patients.csv.enc', '--out', 'patients.csv', '--password-env', 'EXERCISE_KEY'],
        dir,
        { env: { EXERCISE_KEY: PASSWORD } },
      );
      // Assert
      expect([run.code, back.code]).toEqual([0, 0]);
      expect((await readFile(join(dir, 'patients.csv'), 'utf8')).split('\r\n').length).toBe(12 + 2);
    });
  });

  it('exits 2 and writes nothing when no password source is available', async () => {
    await withTempDir(async (dir) => {
      // Act: no variable, and stdin is not a terminal.
      const run = await runCli([...generate, '--encrypt', '--out', join(dir, 'out')], dir, {
        stdin: Readable.from([]),
      });
      // Assert
      expect(expectOneLineError(run)).toBe(
        'encryption password: set ENCRYPTION_PASSWORD or run interactively',
      );
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('exits 2 for a password shorter than 8 characters', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([...generate, '--encrypt', '--out', dir], dir, {
        env: { ENCRYPTION_PASSWORD: 'short' },
      });
      // Assert
      expect(expectOneLineError(run)).toBe('encryption password: must be at least 8 characters');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('asks twice at a terminal without echo when the variable is unset', async () => {
    await withTempDir(async (dir) => {
      // Prepare: both entries typed at once, with a typo corrected by Backspace.
      const terminal = new FakeTerminal();
      terminal.write(`${PASSWORD}x\u007f\r${PASSWORD}\r`);
      // Act
      const run = await runCli([...generate, '--format', 'json', '--encrypt', '--out', 'out'], dir, {
        stdin: terminal,
      });
      const back = await runCli(['decrypt', '--in', 'out/patients.json.enc', '--out', 'p.json'], dir, {
        env,
      });
      // Assert
      expect([run.code, back.code]).toEqual([0, 0]);
      expect(run.stderr).toBe('Encryption password: \nRepeat the password: \n');
      expect(terminal.rawModes).toEqual([true, false]);
      expect(JSON.parse(await readFile(join(dir, 'p.json'), 'utf8'))).toHaveLength(12);
    });
  });

  it('asks on standard output when standard error is redirected but standard output is the terminal', async () => {
    await withTempDir(async (dir) => {
      // Prepare: `milmed generate --encrypt 2>log` typed at a terminal.
      const terminal = new FakeTerminal();
      terminal.write(`${PASSWORD}\r${PASSWORD}\r`);
      // Act
      const run = await runCli([...generate, '--format', 'csv', '--encrypt', '--out', 'out'], dir, {
        stdin: terminal,
        stdoutIsTTY: true,
      });
      // Assert
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Encryption password: \nRepeat the password: \nGenerated 12 patients/);
      expect(run.stderr).toBe('');
    });
  });

  it('exits 2 when the two entries at the prompt differ, and 130 on Ctrl-C', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const differ = new FakeTerminal();
      differ.write(`${PASSWORD}\r${PASSWORD}!\r`);
      const cancel = new FakeTerminal();
      cancel.write('abc\u0003');
      // Act
      const mismatch = await runCli([...generate, '--encrypt', '--out', 'out'], dir, { stdin: differ });
      const interrupted = await runCli([...generate, '--encrypt', '--out', 'out'], dir, { stdin: cancel });
      // Assert
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toMatch(/\nencryption password: the two entries differ\n$/);
      expect(interrupted.code).toBe(130);
      expect(cancel.rawModes).toEqual([true, false]);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('milmed decrypt', () => {
  it('exits 2 for a wrong password and leaves no output file behind', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.alloc(200_000, 'patient data '));
      // Act
      const run = await runCli(['decrypt', '--in', 'data.enc', '--out', 'data.txt'], dir, {
        env: { ENCRYPTION_PASSWORD: 'not the password' },
      });
      // Assert
      expect(expectOneLineError(run)).toBe('decrypt: wrong password or corrupted file');
      expect(run.stdout).toBe('');
      expect(await readdir(dir)).toEqual(['data.enc']);
    });
  });

  it('decrypts a version 1 file (the v1 fixture) and a version 2 file', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const plain = await readFile(V1_FIXTURE_PLAIN);
      await copyFile(V1_FIXTURE, join(dir, 'v1.enc'));
      await encryptFile(join(dir, 'v2.enc'), plain);
      // Act
      const v1 = await runCli(['decrypt', '--in', 'v1.enc', '--out', 'v1.ndjson'], dir, {
        env: { ENCRYPTION_PASSWORD: 'mmpg v1 fixture password' },
      });
      const v2 = await runCli(['decrypt', '--in', 'v2.enc', '--out', 'v2.ndjson'], dir, { env });
      // Assert
      expect([v1.code, v2.code]).toEqual([0, 0]);
      expect((await readFile(join(dir, 'v2.enc'))).subarray(0, 5).toString('latin1')).toBe('MMPG\u0002');
      expect((await readFile(join(dir, 'v1.ndjson'))).equals(plain)).toBe(true);
      expect((await readFile(join(dir, 'v2.ndjson'))).equals(plain)).toBe(true);
    });
  });

  it('decrypts from a pipe (a FIFO, as /dev/stdin or <(...) give), reading it once', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a named pipe fed with an encrypted file once the CLI opens it.
      const plain = Buffer.from('piped exercise data\n'.repeat(5000));
      await encryptFile(join(dir, 'data.enc'), plain);
      const fifo = join(dir, 'pipe.enc');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const feed = createReadStream(join(dir, 'data.enc')).pipe(createWriteStream(fifo));
      const fed = new Promise<void>((settle) => feed.on('close', settle).on('error', () => settle()));
      // Act
      const run = await runCli(['decrypt', '--in', 'pipe.enc', '--out', 'plain.txt'], dir, { env });
      await fed;
      // Assert
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((await readFile(join(dir, 'plain.txt'))).equals(plain)).toBe(true);
    });
  });

  it.each([
    [
      'the last tag flipped',
      (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.of(b[b.length - 1] ^ 1)]),
    ],
    [
      'cut at a segment boundary',
      (b: Buffer) => b.subarray(0, HEADER_BYTES + 3 * (SEGMENT_SIZE + TAG_BYTES)),
    ],
    [
      'a segment appended',
      (b: Buffer) => Buffer.concat([b, b.subarray(HEADER_BYTES, HEADER_BYTES + SEGMENT_SIZE + TAG_BYTES)]),
    ],
    [
      'two segments swapped',
      (b: Buffer) => {
        const sealed = SEGMENT_SIZE + TAG_BYTES;
        const at = (i: number) => b.subarray(HEADER_BYTES + i * sealed, HEADER_BYTES + (i + 1) * sealed);
        return Buffer.concat([
          b.subarray(0, HEADER_BYTES + sealed),
          at(2),
          at(1),
          b.subarray(HEADER_BYTES + 3 * sealed),
        ]);
      },
    ],
  ])(
    'exits 2 for a version 2 file with %s, after verified segments, and leaves no output behind',
    async (_name, alter) => {
      await withTempDir(async (dir) => {
        // Prepare: four full segments and a short one, so verified plaintext reaches the partial file first.
        await encryptFile(join(dir, 'data.enc'), Buffer.alloc(4 * SEGMENT_SIZE + 500, 'casualty record '));
        await writeFile(join(dir, 'bad.enc'), alter(await readFile(join(dir, 'data.enc'))));
        // Act
        const run = await runCli(['decrypt', '--in', 'bad.enc', '--out', 'data.txt'], dir, { env });
        // Assert
        expect(expectOneLineError(run)).toBe('decrypt: wrong password or corrupted file');
        expect(run.stdout).toBe('');
        expect((await readdir(dir)).sort()).toEqual(['bad.enc', 'data.enc']);
      });
    },
  );

  it('exits 2 when one byte of the ciphertext is flipped', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.from('{"patients":[]}\n'.repeat(1000)));
      const bytes = await readFile(join(dir, 'data.enc'));
      bytes[HEADER_BYTES + 100] ^= 0x01;
      await writeFile(join(dir, 'flipped.enc'), bytes);
      // Act
      const run = await runCli(['decrypt', '--in', 'flipped.enc', '--out', 'data.json'], dir, { env });
      // Assert
      expect(expectOneLineError(run)).toBe('decrypt: wrong password or corrupted file');
      expect((await readdir(dir)).sort()).toEqual(['data.enc', 'flipped.enc']);
    });
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /^decrypt: "in\.enc" is empty, not an encrypted file$/],
    [
      'a file that is not encrypted',
      Buffer.from('[\n]\n'),
      /^decrypt: "in\.enc" is not an encrypted file of this generator/,
    ],
    [
      'a file truncated inside the header',
      Buffer.from('MMPG\u0001abc', 'latin1'),
      /^decrypt: "in\.enc" is truncated: an encrypted file has at least 49 bytes$/,
    ],
    [
      'a version 2 file truncated inside the header',
      Buffer.from('MMPG\u0002abc', 'latin1'),
      /^decrypt: "in\.enc" is truncated: an encrypted file has at least 48 bytes$/,
    ],
    [
      'another format version',
      Buffer.from('MMPG\u0003', 'latin1'),
      /^decrypt: "in\.enc" has encrypted file version 3; this version reads 1 and 2$/,
    ],
  ])('exits 2 with a clear message for %s', async (_name, content, message) => {
    await withTempDir(async (dir) => {
      // Prepare
      await writeFile(join(dir, 'in.enc'), content);
      // Act
      const run = await runCli(['decrypt', '--in', 'in.enc', '--out', 'out.json'], dir, { env });
      // Assert
      expect(expectOneLineError(run)).toMatch(message);
      expect(await readdir(dir)).toEqual(['in.enc']);
    });
  });

  it('exits 2 for a file cut short after the header (the tag is missing)', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.from('x'.repeat(5000)));
      const bytes = await readFile(join(dir, 'data.enc'));
      await writeFile(join(dir, 'cut.enc'), bytes.subarray(0, bytes.length - TAG_BYTES - 10));
      // Act
      const run = await runCli(['decrypt', '--in', 'cut.enc', '--out', 'data.txt'], dir, { env });
      // Assert
      expect(expectOneLineError(run)).toBe('decrypt: wrong password or corrupted file');
      expect((await readdir(dir)).sort()).toEqual(['cut.enc', 'data.enc']);
    });
  });

  it('exits 2 for a missing input file, missing options, or no password source', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.from('hello'));
      // Act
      const missing = await runCli(['decrypt', '--in', 'nope.enc', '--out', 'x'], dir, { env });
      const noOptions = await runCli(['decrypt'], dir, { env });
      const noPassword = await runCli(['decrypt', '--in', 'data.enc', '--out', 'x'], dir);
      // Assert
      expect(expectOneLineError(missing)).toBe('decrypt: cannot read --in "nope.enc": no such file');
      expect(noOptions.code).toBe(2);
      expect(noOptions.stderr).toBe(
        'decrypt needs --in FILE (the encrypted file)\ndecrypt needs --out FILE (the decrypted file)\n',
      );
      expect(expectOneLineError(noPassword)).toBe(
        'encryption password: set ENCRYPTION_PASSWORD or run interactively',
      );
      expect(await readdir(dir)).toEqual(['data.enc']);
    });
  });

  it('exits 2 before decrypting when --out is a directory, and asks no password', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.from('hello'));
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, 'plain'));
      // Act
      const run = await runCli(['decrypt', '--in', 'data.enc', '--out', 'plain'], dir);
      // Assert
      expect(expectOneLineError(run)).toBe(
        'decrypt: --out "plain" is a directory; give the name of the decrypted file',
      );
      expect((await readdir(dir)).sort()).toEqual(['data.enc', 'plain']);
      expect(await readdir(join(dir, 'plain'))).toEqual([]);
    });
  });

  it('exits 2 when --out is a pipe or device, which the final rename would replace', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a FIFO stands for /dev/stdout (a pipe or terminal), which the test must not touch.
      await encryptFile(join(dir, 'data.enc'), Buffer.from('hello'));
      expect(spawnSync('mkfifo', [join(dir, 'out.fifo')]).status).toBe(0);
      // Act
      const run = await runCli(['decrypt', '--in', 'data.enc', '--out', 'out.fifo'], dir, { env });
      // Assert
      expect(expectOneLineError(run)).toBe(
        'decrypt: --out "out.fifo" is not a regular file (a pipe or device); give a file name: the output is renamed into place once verified',
      );
      expect((await stat(join(dir, 'out.fifo'))).isFIFO()).toBe(true);
      expect((await readdir(dir)).sort()).toEqual(['data.enc', 'out.fifo']);
    });
  });

  it('asks once at a terminal and writes the decrypted file readable by its owner only', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.from('secret exercise data\n'));
      const terminal = new FakeTerminal();
      terminal.write(`${PASSWORD}\r`);
      // Act
      const run = await runCli(['decrypt', '--in', 'data.enc', '--out', 'data.txt'], dir, {
        stdin: terminal,
      });
      // Assert
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('Password: \n');
      expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('secret exercise data\n');
      if (process.platform !== 'win32') expect((await stat(join(dir, 'data.txt'))).mode & 0o777).toBe(0o600);
    });
  });

  it('runs as "npm run decrypt -- --in FILE --out FILE" with the password in the environment', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await encryptFile(join(dir, 'data.enc'), Buffer.from('via npm\n'));
      // Act
      const run = spawnSync(
        'npm',
        ['run', '--silent', 'decrypt', '--', '--in', join(dir, 'data.enc'), '--out', join(dir, 'data.txt')],
        { encoding: 'utf8', env: { ...process.env, ENCRYPTION_PASSWORD: PASSWORD }, stdio: 'pipe' },
      );
      // Assert
      expect(run.status, run.stderr).toBe(0);
      expect(await readFile(join(dir, 'data.txt'), 'utf8')).toBe('via npm\n');
    });
  });
});

describe('milmed generate --encrypt --zip', () => {
  it('leaves the seed and scenario out of the clear manifest, since they would regenerate the files', async () => {
    await withTempDir(async (dir) => {
      // Prepare / Act
      const run = await runCli(
        [...generate, '--format', 'json', '--encrypt', '--zip', '--out', join(dir, 'z')],
        dir,
        { env },
      );
      // Assert
      expect(run.code).toBe(0);
      const entries = await unzip(await readFile(join(dir, 'z', 'patients.zip')));
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      expect(manifest.seed).toBeNull();
      expect(manifest.scenario).toBeNull();
      expect(manifest.withheld).toMatch(/encrypted/);
      expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(['patients.json.enc']);
    });
  });
});
