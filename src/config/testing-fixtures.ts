import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ALL_CONFIG_FILES } from './load-config';

/**
 * Test helpers (used by the config and CLI tests only): the shipped config as text, edited copies
 * of it, and temporary config directories.
 */

/** The config directory shipped in the repository. */
export const SHIPPED_CONFIG_DIR = path.resolve(__dirname, '../../config');

/** The shipped config files' text, by name relative to the config directory. */
export function shippedTexts(): Record<string, string> {
  return Object.fromEntries(ALL_CONFIG_FILES.map((file) => [file, readFileSync(path.join(SHIPPED_CONFIG_DIR, file), 'utf8')]));
}

/** Replaces the first `from` in `text` with `to`; throws when `from` is not there, so a test never checks an edit that did not happen. */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`fixture edit: ${JSON.stringify(from)} is not in the text`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** An edit of one file: a replacement `[from, to]`, a new whole text, or null to delete the file. */
export type FileEdit = [from: string, to: string] | string | null;

/** The shipped texts with `edits` applied (a deleted file is left out). */
export function editedTexts(edits: Record<string, FileEdit | FileEdit[]>): Record<string, string> {
  const texts: Record<string, string> = shippedTexts();
  for (const [file, fileEdits] of Object.entries(edits)) {
    const single = !Array.isArray(fileEdits) || (fileEdits.length === 2 && typeof fileEdits[0] === 'string' && typeof fileEdits[1] === 'string');
    const list = single ? [fileEdits as FileEdit] : (fileEdits as FileEdit[]);
    for (const e of list) {
      if (e === null) delete texts[file];
      else if (typeof e === 'string') texts[file] = e;
      else texts[file] = replaceOnce(texts[file] ?? '', e[0], e[1]);
    }
  }
  return texts;
}

/** The 1-based number of the first line of `text` that contains `needle`; throws when none does. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  return text.slice(0, at).split('\n').length;
}

/** A temporary directory, removed by `cleanup`. */
export function tempDir(prefix = 'lead-scorer-config-'): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes config files into `dir` (creating `mappings/`). */
export async function writeConfigDir(dir: string, texts: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(texts)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text, 'utf8');
  }
}
