#!/usr/bin/env node
/**
 * segura-firewall: the Segura firewall matrix on the command line.
 * Output goes to stdout; messages to stderr; bad input exits 2 with one line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readConfig } from './config-file';
import { renderDot, renderMermaid } from './diagram';
import { renderCsv, renderJson, renderMarkdown, renderTable, Write } from './formats';
import { configLines, documentLines, MatrixLines } from './lines';
import { didYouMean, SeguraValidationError } from '../core/errors';

class UsageError extends Error {}

const MAIN_HELP = `Usage: segura-firewall <command> [options]

The Segura firewall matrix: the flows that must be open, from the vendor's document.

Commands:
  matrix    the flows that must be open, as a table, Markdown, CSV or JSON
  diagram   the roles and flows as a Mermaid or Graphviz diagram
  help      help for a command

Options:
  -h, --help       show help
  -v, --version    show the version

Run 'segura-firewall <command> --help' for a command's options.
`;

const MATRIX_HELP = `Usage: segura-firewall matrix [--format table|markdown|csv|json] [--config FILE]

Without --config: the document's matrix by role, with the cluster note applied.
With --config: the same rows with your addresses, one line per source, destination,
protocol and port. The config file is JSON; its schema ships as
schema/segura-firewall.schema.json. Example:

  {
    "primary": ["10.0.1.4/32"], "members": ["10.0.1.5/32"], "domum": ["10.0.2.4/32"],
    "users": ["10.10.0.0/16"], "devices": ["10.20.0.0/16"],
    "management": { "ntp": ["10.30.0.10/32"], "mail": ["10.30.0.25/32"] },
    "packageMirrors": ["203.0.113.10/32"],
    "portOverrides": { "MGT-SMTP": 587 }, "disabledRules": ["DVC-TELNET"]
  }

Options:
  --format FORMAT   table (default), markdown, csv or json
  --config FILE     a JSON configuration file
  -h, --help        show this help
`;

const DIAGRAM_HELP = `Usage: segura-firewall diagram [--format mermaid|dot] [--config FILE]

The roles as nodes, grouped as the document groups them, and the flows as edges
labelled with protocols and ports.

Options:
  --format FORMAT   mermaid (default) or dot
  --config FILE     a JSON configuration file (see 'segura-firewall matrix --help')
  -h, --help        show this help
`;

type Render = (lines: MatrixLines, write: Write) => void;

/** Each command: its help, and its formats (the first is the default) with their renderers. */
const COMMANDS: Record<string, { help: string; formats: Record<string, Render> }> = {
  matrix: { help: MATRIX_HELP, formats: { table: renderTable, markdown: renderMarkdown, csv: renderCsv, json: renderJson } },
  diagram: { help: DIAGRAM_HELP, formats: { mermaid: renderMermaid, dot: renderDot } },
};

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return String(pkg.version);
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Run the command line; returns the exit code. */
export function run(argv: string[], stdout: Write, stderr: Write): number {
  try {
    const args = [...argv];
    if (args.length === 0) {
      stderr(MAIN_HELP);
      return 2;
    }
    const first = args.shift()!;
    if (first === '-h' || first === '--help') { stdout(MAIN_HELP); return 0; }
    if (first === '-v' || first === '--version') { stdout(`${version()}\n`); return 0; }
    if (first === 'help') {
      const topic = args.shift();
      if (topic === undefined) { stdout(MAIN_HELP); return 0; }
      if (!COMMANDS[topic]) throw new UsageError(`unknown command "${topic}".${didYouMean(topic, Object.keys(COMMANDS))} Commands: ${Object.keys(COMMANDS).join(', ')}`);
      stdout(COMMANDS[topic].help);
      return 0;
    }
    const command = COMMANDS[first];
    if (!command) {
      throw new UsageError(`unknown command "${first}".${didYouMean(first, Object.keys(COMMANDS))} Commands: ${Object.keys(COMMANDS).join(', ')}`);
    }
    const formats = Object.keys(command.formats);
    let format = formats[0];
    let configFile: string | undefined;
    while (args.length > 0) {
      const arg = args.shift()!;
      const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      const value = () => {
        const v = inline ?? args.shift();
        if (v === undefined || (inline === undefined && v.startsWith('-'))) throw new UsageError(`${flag} needs a value`);
        return v;
      };
      if (flag === '-h' || flag === '--help') { stdout(command.help); return 0; }
      if (flag === '--format') {
        format = value();
        if (!formats.includes(format)) {
          throw new UsageError(`unknown format "${format}" for ${first}.${didYouMean(format, formats)} Formats: ${formats.join(', ')}`);
        }
      } else if (flag === '--config') {
        configFile = value();
      } else {
        throw new UsageError(`unknown option "${arg}" for ${first}.${didYouMean(flag, ['--format', '--config', '--help'])} See 'segura-firewall ${first} --help'`);
      }
    }
    let lines = documentLines();
    if (configFile !== undefined) {
      const config = readConfigFile(configFile);
      try {
        lines = configLines(readConfig(config));
      } catch (e) {
        if (e instanceof SeguraValidationError) throw new UsageError(`${configFile}: ${e.message}`);
        throw e;
      }
    }
    command.formats[format](lines, stdout);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SeguraValidationError) {
      stderr(`segura-firewall: ${e.message}\n`);
      return 2;
    }
    stderr(`segura-firewall: internal error: ${(e as Error).message} (please report this)\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), s => process.stdout.write(s), s => process.stderr.write(s));
}
