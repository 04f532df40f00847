#!/usr/bin/env node
// npm test's type check and lint over one TypeScript program per tsconfig, built once:
// `tsc --noEmit -p tsconfig.typecheck.json` and typed eslint would each build the same
// program (parsing aws-cdk-lib's declarations takes most of their time).
//   node scripts/check.js
// Prints the type errors (as tsc does) and eslint's report (stylish); exits 1 when there
// is a type error or a lint error, 0 otherwise (warnings printed, as eslint does).
const path = require('path');
const ts = require('typescript');
const { loadESLint } = require('eslint');

const ROOT = path.join(__dirname, '..');
// What `projen eslint` lints (.projenrc.ts's eslintOptions).
const LINTED = ['lib', 'test', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'];

function program(tsconfig) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, tsconfig), {}, host);
  if (config.errors.length > 0) throw new Error(ts.formatDiagnostics(config.errors, formatHost));
  return ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, configFileParsingDiagnostics: config.errors });
}

const formatHost = { getCanonicalFileName: f => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };

(async () => {
  const typecheck = program('tsconfig.typecheck.json');
  const projenrc = program(path.join('projenrc', 'tsconfig.json'));
  const diagnostics = ts.getPreEmitDiagnostics(typecheck);
  if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));

  process.env.NODE_NO_WARNINGS = '1';
  const ESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new ESLint({
    cwd: ROOT,
    extensions: ['.ts', '.tsx'],
    errorOnUnmatchedPattern: false,
    // The programs above instead of .eslintrc.json's `project` (the same two tsconfigs).
    overrideConfig: { parserOptions: { programs: [typecheck, projenrc] } },
  });
  const results = await eslint.lintFiles(LINTED);
  const report = (await eslint.loadFormatter('stylish')).format(results);
  if (report) process.stdout.write(report);
  const lintErrors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
  process.exit(diagnostics.length > 0 || lintErrors > 0 ? 1 : 0);
})().catch(e => { console.error(e); process.exit(2); });
