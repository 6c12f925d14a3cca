/**
 * Chromium for the console's browser tests and the web benchmark: Debian's package driven by
 * playwright-core (no browser download is possible here), and a file drop as a planner does it.
 * No vitest import: the benchmark uses this module outside the test runner.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's chromium; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** The parts of the DOM dropFile uses in the page (the root tsconfig has no DOM library). */
interface FileInput {
  readonly files: Iterable<unknown>;
  remove(): void;
  readonly ownerDocument: {
    readonly defaultView: { DataTransfer: new () => { items: { add(file: unknown): void } } };
  };
}

/**
 * Drops a file from disk on `target`, as dragging it from a file manager does: dragenter, dragover
 * and drop carrying a DataTransfer with the File. The File comes from a throwaway file input (the
 * browser reads the path itself, so a 400 MB file is not copied through the DevTools protocol); the
 * input is removed before the drop.
 */
export async function dropFile(page: Page, target: Locator, path: string): Promise<void> {
  const id = `drop-source-${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    `(() => { const i = document.createElement('input'); i.type = 'file'; i.id = ${JSON.stringify(id)};
      i.hidden = true; document.body.append(i); })()`,
  );
  const input = page.locator(`#${id}`);
  await input.setInputFiles(path);
  const transfer = await input.evaluateHandle((el: FileInput) => {
    const dt = new el.ownerDocument.defaultView.DataTransfer();
    for (const file of el.files) dt.items.add(file);
    el.remove();
    return dt;
  });
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await target.dispatchEvent(type, { dataTransfer: transfer });
  }
  await transfer.dispose();
}
