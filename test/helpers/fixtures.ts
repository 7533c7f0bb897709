import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/transcripts/', import.meta.url));

/** Bytes of a file under test/fixtures/transcripts/. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(DIR + name));
}

/** UTF-8 text of a fixture. */
export function fixtureText(name: string): string {
  return readFileSync(DIR + name, 'utf8');
}
