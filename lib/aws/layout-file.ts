/**
 * The layout file (`layoutFile`): where each rule of each holder went, read before the
 * layout as its previous placement and written after it, like a lock file. JSON,
 * deterministic, sorted and pretty-printed:
 *
 *     { "version": 1,
 *       "holders": { "<path of the holder's first group>":
 *         { "egress": { "<group's construct ID>": ["<peer> <protocol>:<ports>", ...], ... },
 *           "ingress": { ... } } } }
 *
 * One file may serve several holders (cluster nodes, gateways, stacks): each writes its
 * own entry and keeps the others'.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { RecordedPlacement } from './layout';
import { describeValue, SeguraValidationError } from '../core/errors';
import { Direction } from '../core/rules';

/** The version of the file's format this library reads and writes. */
const VERSION = 1;
const DIRECTIONS: readonly Direction[] = ['egress', 'ingress'];

/** A holder's entry: per direction, per group construct ID, its rules. */
type HolderEntry = Partial<Record<Direction, Record<string, string[]>>>;

/** One holder's place in the file: its key (the path of its first group) and its groups' construct IDs. */
export interface LayoutHolder {
  /** The construct path of the holder's first group. */
  readonly key: string;
  /** The construct ID of its first group; group i is `${baseId}${i + 1}` past the first. */
  readonly baseId: string;
}

/** The construct ID of a holder's group `i` (a contract: `PrimarySecurityGroup`, `PrimarySecurityGroup2`, ...). */
export const groupIdOf = (baseId: string, i: number): string => (i === 0 ? baseId : `${baseId}${i + 1}`);

/** Check the `layoutFile` prop: a non-empty path, known at synth (relative paths are read from the directory synth runs in). */
export function checkLayoutFile(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || Token.isUnresolved(value)) {
    throw new SeguraValidationError('layoutFile', `expected the path of a JSON file (relative to the directory synth runs in), known at synth; got ${describeValue(value)}`);
  }
  return value;
}

const fail = (file: string, message: string): never => {
  throw new SeguraValidationError('layoutFile', `${file}: ${message}; correct it, or delete it to lay the groups out afresh (rules may then move)`);
};
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function checkEntry(file: string, holder: string, entry: unknown): HolderEntry {
  if (!isObject(entry)) return fail(file, `holders["${holder}"] is not an object`);
  for (const [d, groups] of Object.entries(entry)) {
    if (!DIRECTIONS.includes(d as Direction)) fail(file, `holders["${holder}"] has "${d}"; expected "ingress" and "egress"`);
    if (!isObject(groups)) return fail(file, `holders["${holder}"].${d} is not an object`);
    for (const [g, rules] of Object.entries(groups)) {
      if (!Array.isArray(rules) || rules.some(r => typeof r !== 'string' || !/^\S.* \S+$/.test(r))) {
        fail(file, `holders["${holder}"].${d}["${g}"] is not a list of rules ("<peer> <protocol>:<ports>")`);
      }
    }
  }
  return entry as HolderEntry;
}

/** The layout file as read once: its text (undefined when it does not exist) and its holders' entries. */
export interface LayoutFileRead {
  readonly file: string;
  readonly text?: string;
  readonly holders: Readonly<Record<string, HolderEntry>>;
}

/** Read `file`: no entries when it does not exist; a SeguraValidationError when it is not a layout file of this version. */
export function readLayoutFile(file: string): LayoutFileRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file, holders: {} };
    return fail(file, `cannot be read (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    // A byte-order mark (some Windows editors write one) is no content.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(file, `is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) return fail(file, 'is not a JSON object');
  if (json.version !== VERSION) {
    fail(file, `has version ${describeValue(json.version)}; this version of segura-constructs reads and writes version ${VERSION}`);
  }
  if (!isObject(json.holders)) return fail(file, 'has no "holders" object');
  const holders: Record<string, HolderEntry> = {};
  for (const [key, entry] of Object.entries(json.holders)) holders[key] = checkEntry(file, key, entry);
  return { file, text, holders };
}

/** The recorded placement of `holder` in the file read, or undefined when the file or its entry does not exist. */
export function recordedPlacement(read: LayoutFileRead, holder: LayoutHolder): RecordedPlacement | undefined {
  const file = read.file;
  const entry = read.holders[holder.key];
  if (entry === undefined) return undefined;
  const out = { ingress: new Map<string, number>(), egress: new Map<string, number>() };
  for (const d of DIRECTIONS) {
    for (const [id, rules] of Object.entries(entry[d] ?? {})) {
      const n = id === holder.baseId ? 1 : id.startsWith(holder.baseId) && /^[1-9][0-9]*$/.test(id.slice(holder.baseId.length)) ? Number(id.slice(holder.baseId.length)) : 0;
      if (n < 1 || (n === 1 && id !== holder.baseId)) {
        fail(file, `holders["${holder.key}"].${d} names group "${id}"; the groups of that holder are ${holder.baseId}, ${holder.baseId}2, ${holder.baseId}3, ...`);
      }
      for (const rule of rules) {
        if (out[d].has(rule)) fail(file, `holders["${holder.key}"].${d} lists "${rule}" twice`);
        out[d].set(rule, n - 1);
      }
    }
  }
  return out;
}

/** A holder's entry, sorted: groups by their index, rules by text. */
function entryOf(holder: LayoutHolder, record: RecordedPlacement): HolderEntry {
  const entry: HolderEntry = {};
  for (const d of DIRECTIONS) {
    const byGroup = new Map<number, string[]>();
    for (const [rule, g] of record[d]) byGroup.set(g, [...(byGroup.get(g) ?? []), rule]);
    entry[d] = Object.fromEntries([...byGroup].sort(([a], [b]) => a - b).map(([g, rules]) => [groupIdOf(holder.baseId, g), rules.sort()]));
  }
  return entry;
}

/**
 * Write the placements of `holders` into the file read, keeping the entries of other
 * holders; only when the content changes (the file is created when missing). Written whole
 * (a temporary file renamed), so a reader never sees half of it. A SeguraValidationError
 * naming `layoutFile` when it cannot be written (no permission, a read-only file system).
 */
export function writeLayout(read: LayoutFileRead,
  holders: ReadonlyArray<{ readonly holder: LayoutHolder; readonly record: RecordedPlacement }>): void {
  const file = read.file;
  const entries = { ...read.holders };
  for (const { holder, record } of holders) entries[holder.key] = entryOf(holder, record);
  const sorted = Object.fromEntries(Object.keys(entries).sort().map(k => [k, entries[k]]));
  const text = `${JSON.stringify({ version: VERSION, holders: sorted }, undefined, 2)}\n`;
  // The same content with Windows line endings (a checkout with git's core.autocrlf) is the same content: not rewritten.
  if (text === read.text?.replace(/\r\n/g, '\n')) return;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (e) {
    if (fs.existsSync(temporary) && fs.statSync(temporary).isFile()) fs.unlinkSync(temporary);
    throw new SeguraValidationError('layoutFile', `${file}: cannot be written (${(e as Error).message}); give a path synth may write, `
      + 'or make it writable');
  }
}
