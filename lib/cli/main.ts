#!/usr/bin/env node
/**
 * segura-firewall: the Segura firewall matrix on the command line.
 * Output goes to stdout, streamed; messages to stderr; bad input exits 2 with one
 * line; a closed output pipe (`| head`) ends quietly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_COMMANDS, AUDIT_FORMATS, AUDIT_HELP, REPEAT_SEPARATOR } from './audit';
import { renderDot, renderMermaid } from './diagram';
import { Render, renderCsv, renderJson, renderMarkdown, renderTable } from './formats';
import { jsonFault } from './json';
import { configLines, documentLines, MatrixLine, MatrixLines } from './lines';
import { readConfig } from '../core/config-file';
import { didYouMean, SeguraValidationError } from '../core/errors';

/** Bad input: one line on stderr, exit 2. */
export class UsageError extends Error {}

/** Where a run reads and writes. */
export interface Io {
  /** Writes a piece of output; resolves when the reader has room for more. */
  readonly out: (chunk: string) => void | Promise<void>;
  /** Writes a message. */
  readonly err: (message: string) => void;
  /** Reads standard input whole (for `--config -`). */
  readonly stdin: () => string;
  /** The terminal's width when output is a terminal. */
  readonly columns?: number;
}

const MAIN_HELP = `Usage: segura-firewall <command> [options]

The Segura firewall matrix: the flows that must be open, from the vendor's document
and installation guides.

Commands:
  matrix    the flows that must be open, as a table, Markdown, CSV or JSON
  diagram   the roles and flows as a Mermaid or Graphviz diagram
  audit     a firewall against the plan: AWS security groups and Azure NSGs as exported,
            CloudFormation templates and Terraform plans before deploying
  help      help for a command ('segura-firewall help matrix')

Options:
  -h, --help       show help
  -v, --version    show the version

Run 'segura-firewall <command> --help' for a command's options.
Exit status: 0 success (for audit: nothing found), 1 audit findings, 2 bad input,
70 an internal error (a bug: please report it).
`;

const CONFIG_HELP = `The config file is JSON (or '-' for standard input); its schema ships as
schema/segura-firewall.schema.json. Example:

  {
    "primary": ["10.0.1.4/32"], "members": ["10.0.1.5/32", "10.0.1.6/32"], "domum": ["10.0.2.4/32"],
    "arbitrator": ["10.0.3.4/32"], "users": ["10.10.0.0/16"], "devices": ["10.20.0.0/16"],
    "management": { "ntp": ["10.30.0.10/32"], "mail": ["10.30.0.25/32"] },
    "packageMirrors": ["203.0.113.10/32"],
    "portOverrides": { "MGT-SMTP": 587 }, "disabledRules": ["DVC-TELNET"]
  }`;

const MATRIX_HELP = `Usage: segura-firewall matrix [--format table|markdown|csv|json] [--config FILE]

Without --config: the matrix by role, with the cluster note applied and the rows the
vendor's guides add (member to member, the Arbitrator).
With --config: the same rows with your addresses, one line per source, destination,
protocol and port. ${CONFIG_HELP}

Options:
  --format FORMAT   table (default), markdown, csv or json
  --config FILE     a JSON configuration file, or - for standard input
  -h, --help        show this help
`;

const DIAGRAM_HELP = `Usage: segura-firewall diagram [--format mermaid|dot] [--config FILE]

The roles as nodes, grouped as the document groups them, and the flows as edges
labelled with protocols and ports.

Options:
  --format FORMAT   mermaid (default) or dot
  --config FILE     a JSON configuration file, or - for standard input (see 'segura-firewall matrix --help')
  -h, --help        show this help
`;

/** A command of the lines: its help and its formats (the first is the default). */
interface LinesCommand {
  readonly help: string;
  readonly formats: Record<string, Render>;
}

const COMMANDS: Record<string, LinesCommand> = {
  matrix: { help: MATRIX_HELP, formats: { table: renderTable, markdown: renderMarkdown, csv: renderCsv, json: renderJson } },
  diagram: { help: DIAGRAM_HELP, formats: { mermaid: renderMermaid, dot: renderDot } },
};
const COMMAND_NAMES = [...Object.keys(COMMANDS), 'audit', 'help'];

/** Exit status of an internal error (EX_SOFTWARE): a bug, never bad input, never a finding. */
export const INTERNAL_ERROR = 70;

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return String(pkg.version);
}

/** A text file (or standard input for '-'). */
export function readTextFile(file: string, io: Io, what: string): string {
  try {
    return file === '-' ? io.stdin() : fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file === '-' ? 'from standard input' : file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A JSON file (or standard input for '-'), a UTF-8 byte-order mark allowed. */
export function readJsonFile(file: string, io: Io, what: string): unknown {
  const json = readTextFile(file, io, what).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(json);
  } catch (e) {
    const fault = jsonFault(json, e as Error);
    throw new UsageError(`${what} ${file === '-' ? '(standard input)' : file} is not valid JSON: line ${fault.line}, column ${fault.column}: ${fault.reason}`);
  }
}

/**
 * Parse `--flag value` and `--flag=value` options; `known` lists the flags that take a value,
 * `repeatable` those that may be given more than once (their values joined by REPEAT_SEPARATOR).
 */
export function parseFlags(command: string, args: string[], known: readonly string[], repeatable: readonly string[] = []): Map<string, string> | 'help' {
  const flags = new Map<string, string>();
  while (args.length > 0) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '-h' || flag === '--help') return 'help';
    if (!known.includes(flag)) {
      throw new UsageError(`unknown option "${arg}" for ${command}.${didYouMean(flag, [...known, '--help'])} See 'segura-firewall ${command} --help'`);
    }
    const value = inline ?? args.shift();
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) throw new UsageError(`${flag} needs a value`);
    if (flags.has(flag) && !repeatable.includes(flag)) throw new UsageError(`${flag} is given twice`);
    flags.set(flag, flags.has(flag) ? `${flags.get(flag)}${REPEAT_SEPARATOR}${value}` : value);
  }
  return flags;
}

/** Write `chunks` in pieces of about 64 KB, waiting for the reader when it asks to. */
async function pump(chunks: Iterable<string>, io: Io): Promise<void> {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= 65536) {
      await io.out(buffer);
      buffer = '';
    }
  }
  if (buffer) await io.out(buffer);
}

async function runLines(name: string, command: LinesCommand, args: string[], io: Io): Promise<number> {
  const flags = parseFlags(name, args, ['--format', '--config']);
  if (flags === 'help') { await io.out(command.help); return 0; }
  const formats = Object.keys(command.formats);
  const format = flags.get('--format') ?? formats[0];
  if (!formats.includes(format)) {
    throw new UsageError(`unknown format "${format}" for ${name}.${didYouMean(format, formats)} Formats: ${formats.join(', ')}`);
  }
  const file = flags.get('--config');
  let lines: MatrixLines = documentLines();
  if (file !== undefined) {
    const config = readJsonFile(file, io, 'config file');
    try {
      const read = readConfig(config);
      for (const warning of read.warnings) io.err(`segura-firewall: warning: ${warning}\n`);
      lines = configLines(read);
    } catch (e) {
      if (e instanceof SeguraValidationError) throw new UsageError(`${file === '-' ? '(standard input)' : file}: ${e.message}`);
      throw e;
    }
  }
  // Count the lines as they go by, to say so when the config matches nothing.
  let count = 0;
  const counted: MatrixLines = {
    flows: lines.flows,
    addressed: lines.addressed,
    [Symbol.iterator]: function* (): Generator<MatrixLine> {
      count = 0;
      for (const l of lines) { count++; yield l; }
    },
  };
  await pump(command.formats[format](counted, { width: io.columns }), io);
  if (count === 0) {
    io.err('segura-firewall: the config opens no flow: give the Primary some peers (users, devices, management.*, ...), '
      + 'members (members) or a gateway (domum, arbitrator)\n');
  }
  return 0;
}

/** `audit <source>`: exit 0 when nothing is found, 1 when anything is. */
async function runAudit(args: string[], io: Io): Promise<number> {
  const source = args.shift();
  if (source === '-h' || source === '--help') { await io.out(AUDIT_HELP); return 0; }
  const sources = Object.keys(AUDIT_COMMANDS);
  if (source === undefined) throw new UsageError(`audit needs a source: ${sources.join(', ')}. See 'segura-firewall audit --help'`);
  if (!(source in AUDIT_COMMANDS)) throw new UsageError(`unknown source "${source}" for audit.${didYouMean(source, sources)} Sources: ${sources.join(', ')}`);
  const audit = AUDIT_COMMANDS[source];
  const flags = parseFlags(`audit ${source}`, args, audit.flags, audit.repeatable);
  if (flags === 'help') { await io.out(audit.help); return 0; }
  const formats = Object.keys(AUDIT_FORMATS);
  const format = flags.get('--format') ?? formats[0];
  if (!formats.includes(format)) throw new UsageError(`unknown format "${format}" for audit.${didYouMean(format, formats)} Formats: ${formats.join(', ')}`);
  // Standard input can be read once: '-' for two inputs is an error naming both.
  let stdinFor: string | undefined;
  const once = (file: string, what: string) => {
    if (file !== '-') return;
    if (stdinFor !== undefined) {
      throw new UsageError(`standard input ('-') is given for both the ${stdinFor} and the ${what}; it can be read once: give one of them as a file`);
    }
    stdinFor = what;
  };
  const readers = {
    json: (file: string, what: string) => { once(file, what); return readJsonFile(file, io, what); },
    text: (file: string, what: string) => { once(file, what); return readTextFile(file, io, what); },
  };
  const { report, inputs } = audit.run(flags, readers);
  await pump(AUDIT_FORMATS[format](report, { width: io.columns, sarif: { version: version(), inputs } }), io);
  return report.missing.length + report.extra.length + report.unresolved.length === 0 ? 0 : 1;
}

/** Run the command line; resolves to the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const args = [...argv];
    if (args.length === 0) {
      io.err(MAIN_HELP);
      return 2;
    }
    const first = args.shift()!;
    if (first === '-h' || first === '--help') { await io.out(MAIN_HELP); return 0; }
    if (first === '-v' || first === '--version') { await io.out(`${version()}\n`); return 0; }
    if (first === 'help') {
      const topic = args.shift();
      if (topic === undefined || topic === 'help') { await io.out(MAIN_HELP); return 0; }
      if (topic === 'audit') { await io.out(AUDIT_HELP); return 0; }
      if (!COMMANDS[topic]) throw new UsageError(`unknown command "${topic}".${didYouMean(topic, COMMAND_NAMES)} Commands: ${COMMAND_NAMES.join(', ')}`);
      await io.out(COMMANDS[topic].help);
      return 0;
    }
    if (first === 'audit') return await runAudit(args, io);
    const command = COMMANDS[first];
    if (!command) throw new UsageError(`unknown command "${first}".${didYouMean(first, COMMAND_NAMES)} Commands: ${COMMAND_NAMES.join(', ')}`);
    return await runLines(first, command, args, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SeguraValidationError) {
      io.err(`segura-firewall: ${e.message}\n`);
      return 2;
    }
    io.err(`segura-firewall: internal error: ${(e as Error)?.message ?? String(e)} (please report this)\n`);
    return INTERNAL_ERROR;
  }
}

/** The process's standard streams as an Io: output with backpressure, EPIPE ending the run quietly. */
function processIo(): Io {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (`| head -1`): nothing left to do.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return {
    out: chunk => new Promise<void>(resolve => {
      if (process.stdout.write(chunk)) resolve();
      else process.stdout.once('drain', resolve);
    }),
    err: message => { process.stderr.write(message); },
    stdin: () => fs.readFileSync(0, 'utf8'),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

if (require.main === module) {
  void run(process.argv.slice(2), processIo()).then(code => { process.exitCode = code; });
}
