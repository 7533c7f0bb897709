/**
 * Reading DialogueSafety-format files for the CLI tools: a JSON array of
 * `{context, response, label?, id?}` with `[seeker]`/`[supporter]` markers in the strings.
 * Every problem is reported once, naming the file and the item, so a user can fix it.
 */
import { readFileSync } from 'node:fs';
import { splitMarkedTurns } from '../../src/lib/inference/input.ts';
import type { ScoreItem } from '../../src/lib/inference/types.ts';

export class InputError extends Error {}

export interface DsItem extends ScoreItem {
  id: string;
  label?: number;
}

export function readDsFile(path: string, requireLabel: boolean): DsItem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read the file (${(e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new InputError(`${path}: expected a JSON array of items, got ${typeof data}`);
  if (data.length === 0) throw new InputError(`${path}: the array holds no items`);
  return data.map((raw, i) => toItem(path, raw, i, requireLabel));
}

function toItem(path: string, raw: unknown, i: number, requireLabel: boolean): DsItem {
  const obj = (raw ?? {}) as Record<string, unknown>;
  const id = typeof obj.id === 'string' || typeof obj.id === 'number' ? String(obj.id) : `#${i}`;
  const where = `${path}: item ${i} (id ${id})`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${where}: not an object`);
  for (const field of ['context', 'response'] as const) {
    if (typeof obj[field] !== 'string') throw new InputError(`${where}: missing string field "${field}"`);
  }
  const response = splitMarkedTurns(obj.response as string)
    .map((t) => t.text)
    .join('');
  if (!response.trim()) throw new InputError(`${where}: "response" is empty`);
  const item: DsItem = { id, context: splitMarkedTurns(obj.context as string), response };
  if (obj.label !== undefined || requireLabel) {
    const label = obj.label;
    if (label === undefined) throw new InputError(`${where}: missing field "label"`);
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label > 7) {
      throw new InputError(`${where}: label ${JSON.stringify(label)} is outside 0–7`);
    }
    item.label = label;
  }
  return item;
}

/** `--name value` flags; bare `--flag` is true. Unknown flags are an error. */
export function parseArgs(argv: string[], known: Record<string, 'string' | 'boolean'>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const name = a.slice(2);
    if (!(name in known)) throw new InputError(`unknown option ${a}`);
    if (known[name] === 'boolean') out[name] = true;
    else if (i + 1 >= argv.length) throw new InputError(`option ${a} needs a value`);
    else out[name] = argv[++i];
  }
  if (positional.length) out._ = positional.join(' ');
  return out;
}

/**
 * Runs a CLI's main: input errors (`isInputError`) print one `error: …` line and exit 2; anything
 * else is a bug and prints its stack with exit 1.
 */
export function runCli(main: () => Promise<void>, isInputError: (e: unknown) => boolean = (e) => e instanceof InputError): void {
  main().catch((e: unknown) => {
    if (isInputError(e)) {
      console.error(`error: ${(e as Error).message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  });
}
