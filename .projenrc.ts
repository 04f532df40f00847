import { awscdk, DependencyType, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'segura-constructs',
  description: 'The Segura firewall matrix as typed data, expanded into AWS security groups (aws-cdk-lib) and Azure NSGs/ASGs (CDKTF).',
  author: 'segura-constructs contributors',
  authorAddress: 'segura-constructs@users.noreply.github.com',
  repositoryUrl: 'https://github.com/segura-constructs/segura-constructs.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  keywords: ['segura', 'senhasegura', 'firewall', 'security-group', 'nsg', 'cdk', 'cdktf', 'azure', 'aws'],

  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  // cdk-monitoring-constructs layout: sources in lib/, one folder per backend.
  srcdir: 'lib',
  libdir: 'dist',
  entrypoint: 'dist/index.js',
  testdir: 'test',

  // The peer floors, proven by `npm run test:external` and `npm run peer-floor` (scratch apps
  // on exactly these versions): aws-cdk-lib 2.51.0 and constructs 10.0.0 (AWS); cdktf 0.20.0,
  // provider-azurerm 13.0.0 and constructs 10.3.0, which cdktf 0.20 asks for (Azure).
  // Development and npm test use the versions below; test:external the newest releases too.
  cdkVersion: '2.51.0',
  constructsVersion: '10.0.0',
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~5.9.0',

  github: false,
  release: true,
  releaseToNpm: false,
  // commit-and-tag-version 13 asks for Node 22; 12 runs on the Node 20 that engines allows.
  bumpPackage: 'commit-and-tag-version@^12',
  docgen: true,
  sampleCode: false,

  peerDeps: ['cdktf@^0.20.0 || ^0.21.0', '@cdktf/provider-azurerm@^13.0.0 || ^14.0.0'],
  // The audit reads CloudFormation YAML (short tags included) and finds where JSON inputs
  // write each resource (for SARIF's lines): bundled, as jsii asks of a library's runtime deps.
  bundledDeps: ['yaml@^2.9.1', 'jsonc-parser@^3.3.1'],
  devDeps: [
    'aws-cdk-lib@2.262.0',
    'cdktf@0.21.0',
    '@cdktf/provider-azurerm@14.23.1',
    'aws-cdk@^2.1100.0',
    'cdktf-cli@0.21.0',
    'cdk-nag@^3.0.0',
    'fast-check@^4.0.0',
    // Mutation testing (npm run mutation); 9.x is the last line that runs on Node 20.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
    // SARIF output checked against the official 2.1.0 schema (JSON Schema draft-04).
    'ajv@^8.20.0',
    'ajv-draft-04@^1.0.0',
    'ajv-formats@^3.0.1',
  ],

  // npm test checks lint and never rewrites sources; `npm run lint:fix` fixes.
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'], commandOptions: { fix: false } },
  bin: { 'segura-firewall': 'dist/cli/main.js' },
  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // test/external needs what is outside the project (../shared, cfn-lint, terraform): npm run test:external.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/external/'],
      // jest's own timeout (5 s): a file whose tests synthesize apps, run CLIs or install packages says so with its own.
      // Every core: jest's default (cores - 1) runs a 2-core machine on one worker.
      maxWorkers: '100%',
      // Coverage is a separate script (npm run coverage): it slows every test.
      collectCoverage: false,
    },
  },
  gitignore: ['cdk.out', 'cdktf.out', '.bench-out', '*.tsbuildinfo', '.stryker-tmp', 'reports/mutation'],
  npmIgnoreOptions: { ignorePatterns: ['/examples', '/bench', '/.bench-out', '/.ci', '/scripts', '/test-reports', 'cdk.json', 'cdktf.json', 'cdk.out', 'cdktf.out', '/stryker.config.json', '/stryker.renderers.json', '/.stryker-tmp', '/reports'] },
});

// constructs for development (projen's AWS CDK support drops a devDependency of that name).
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);

// npm 11 runs no dependency's install script unless allowScripts approves it. Two dev
// tools have one, and need none of it here (cdktf-cli's terminal for `cdktf watch`,
// @parcel/watcher's native build): denied, so that `npm ci` says nothing about them.
project.package.addField('allowScripts', {
  '@cdktf/node-pty-prebuilt-multiarch': false,
  '@parcel/watcher': false,
});

// The optional cloud peers: an AWS user needs no cdktf, an Azure user needs no aws-cdk-lib
// (constructs, which both use, stays required). lib/backend-peers.ts says what is missing.
project.package.addField('peerDependenciesMeta', {
  'aws-cdk-lib': { optional: true },
  'cdktf': { optional: true },
  '@cdktf/provider-azurerm': { optional: true },
});

// Entry points: TypeScript users import one backend; neither loads the other, and the
// audit (JSON in, JSON out) loads neither cloud's library.
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  './aws': { types: './dist/aws/index.d.ts', default: './dist/aws/index.js' },
  './azure': { types: './dist/azure/index.d.ts', default: './dist/azure/index.js' },
  './core': { types: './dist/core/index.d.ts', default: './dist/core/index.js' },
  './audit': { types: './dist/audit/index.d.ts', default: './dist/audit/index.js' },
  './errors': { types: './dist/errors.d.ts', default: './dist/errors.js' },
  './package.json': './package.json',
});
project.package.addField('typesVersions', {
  '*': {
    aws: ['dist/aws/index.d.ts'],
    azure: ['dist/azure/index.d.ts'],
    core: ['dist/core/index.d.ts'],
    audit: ['dist/audit/index.d.ts'],
    errors: ['dist/errors.d.ts'],
  },
});

// npm test: the jsii compile (type checks and jsii's API rules), every test, then lint.
// No --passWithNoTests and no --updateSnapshot: a run with no test, or a stale
// snapshot, fails.
// jsii refuses Node 20 (end of life) with a banner on every run; the project supports
// Node 20 (engines), so the banner is silenced for the project's own tasks.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

project.addTask('typecheck', {
  description: 'Type-check the tests, examples, scripts and benchmarks in one pass (ts-jest only transpiles)',
  exec: 'tsc --noEmit -p tsconfig.typecheck.json',
});
// jsii asks for a devDependency at each peer's floor; the floors are proven by
// `npm run peer-floor` instead, and development uses the newest versions.
const JSII = 'jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency';
project.compileTask.reset(JSII);
project.compileTask.spawn(project.tasks.tryFind('docgen')!);
project.testTask.reset();
// Two steps of two commands each, side by side (scripts/parallel.js): a 2-core machine
// runs npm test in under two minutes that way. The jsii compile with the type check,
// then jest (every core) with lint.
// jest's graceful exit (workerGracefulExitTimeout, default 500 ms) counts from the last file's
// end: the worker that ran test/packaging.test.ts (its jsii-docgen and node children) has no
// open handle or timer left then, and exits within 3 s on a loaded 2-core machine, which the
// default calls "failed to exit gracefully". A worker that truly hangs is still reported.
project.tryFindObjectFile('package.json')!.addOverride('jest.workerGracefulExitTimeout', 5000);

// Typed lint with two programs, the type check's and projenrc's, built once each: the project
// service (projen's default) builds more, and takes a third longer on this tree.
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', ['./tsconfig.typecheck.json', './projenrc/tsconfig.json']);
// The compile beside the type check and the lint (one process, scripts/check.js: one
// TypeScript program per tsconfig for both, instead of tsc's and eslint's own), then jest
// alone with every core (it needs the compile's dist/; a lint beside it slowed its workers).
project.testTask.exec(`node scripts/parallel.js --also "node scripts/check.js" -- ${JSII}`);
project.testTask.exec('jest --ci', { receiveArgs: true });

// The property tests whose random cases cost most, four times as many cases as npm test
// tries (test/support/runs.ts): the depth npm test's two minutes have no room for.
const DEEP_PROPERTY_TESTS = ['test/property.test.ts', 'test/fuzz.test.ts', 'test/aws/overflow.test.ts', 'test/aws/layout.test.ts', 'test/failover.test.ts',
  'test/world-split.test.ts', 'test/audit/round-trip-azure.test.ts'];
const testExternal = project.addTask('test:external', {
  description: 'The checks that need ../shared, cfn-lint, terraform and the registry, and the deep property run (CI runs them after npm test)',
  exec: 'jest --ci --testPathIgnorePatterns /node_modules/ --testMatch "<rootDir>/test/external/**/*.test.ts"',
});
testExternal.exec(`jest --ci ${DEEP_PROPERTY_TESTS.join(' ')}`, { env: { SEGURA_PROPERTY_RUNS: '4' } });
project.addScripts({ 'test:external': 'npx projen test:external' });

project.addTask('lint:fix', {
  description: 'Fix what eslint can fix (npm test only checks)',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern lib test examples bench scripts projenrc .projenrc.ts',
});
project.addTask('coverage', {
  description: 'The test suite with a coverage report (slower than npm test)',
  exec: 'jest --ci --coverage',
});

// npx projen generate: every file derived from the data (scripts/generate/index.ts lists them),
// then the compile, which writes API.md and its fingerprint. test/generated.test.ts fails,
// naming the file and this command, when any of them is stale.
const GENERATE = 'ts-node --transpile-only --project scripts/tsconfig.json scripts/generate.ts';
const generate = project.addTask('generate', {
  description: 'Regenerate every derived file: docs/matrix.md, the config schema, the peer props, the Azure priority slots, the README\'s options table, API.md',
  exec: GENERATE,
});
generate.spawn(project.compileTask);
// The name the README used to give: the same task.
project.addTask('docs', { description: 'The same as generate', steps: [{ spawn: 'generate' }] });
// API.md (jsii-docgen, in every compile) ends with the fingerprint of the API it documents.
project.tasks.tryFind('docgen')!.exec(`${GENERATE} --api-fingerprint`);

// npm run figures: the README's figures (npm test's time, node_modules per cloud).
const figures = project.addTask('figures', {
  description: 'Measure the README\'s figures: npm test\'s time, node_modules of an AWS-only and an Azure-only app (--readme writes them in)',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' },
});
figures.spawn(project.compileTask);
figures.exec('ts-node --transpile-only --project scripts/tsconfig.json scripts/figures.ts', { receiveArgs: true });
project.addScripts({ figures: 'npx projen figures' });

// npm run peer-floor: the oldest peer versions, installed into scratch apps (needs the registry).
const floor = project.addTask('peer-floor', {
  description: 'Install the floor of each peer range into scratch apps; type-check, synthesize and evaluate the examples there',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' },
});
floor.spawn(project.compileTask);
floor.exec('ts-node --transpile-only --project scripts/tsconfig.json scripts/peer-floor.ts', { receiveArgs: true });
project.addScripts({ 'peer-floor': 'npx projen peer-floor' });

// npm run bench: the benchmark (not part of npm test).
const bench = project.addTask('bench', {
  description: 'Benchmark against the same flows written by hand (see bench/bench.ts)',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' },
});
bench.spawn(project.compileTask);
bench.exec('tsc -p bench/tsconfig.build.json');
bench.exec('node .bench-out/bench/bench.js', { receiveArgs: true });
project.addScripts({ bench: 'npx projen bench' });

// npm run mutation: StrykerJS over the code that decides what opens, in two parts (each config says what and against
// which tests): the plan, the AWS layout and the audit's matcher against their unit tests, then the renderers against
// the tests that synthesize and evaluate. Not part of npm test; reports in reports/mutation/. scripts/mutation-report.ts
// runs each part (recording its time and the machine's load), then writes docs/mutation/summary.json, the survivors
// page and the README's block, and fails on a survivor that docs/mutation/explanations.json does not explain.
const mutation = project.addTask('mutation', {
  description: 'Mutation testing (StrykerJS, jest runner) of the plan, the renderers\' rule building and layout, and the audit\'s matcher',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' },
});
const MUTATION_REPORT = 'ts-node --transpile-only --project scripts/tsconfig.json scripts/mutation-report.ts';
mutation.exec(`${MUTATION_REPORT} run units`);
mutation.exec(`${MUTATION_REPORT} run renderers`);
mutation.exec(`${MUTATION_REPORT} write`);
project.addScripts({ mutation: 'npx projen mutation' });

// npm run planted-bugs: small bugs planted in a scratch copy must each fail the tests (not part of npm test).
const planted = project.addTask('planted-bugs', {
  description: 'Plant small bugs in a scratch copy (a disabled row kept, Azure ports wider, an Azure prefix narrower, an AWS port wider) and check the tests fail',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' },
});
planted.exec('ts-node --transpile-only --project scripts/tsconfig.json scripts/planted-bugs.ts', { receiveArgs: true });
project.addScripts({ 'planted-bugs': 'npx projen planted-bugs' });

// npm run compile: the jsii build and its API reference (API.md), together (above).
project.postCompileTask.reset();

// The version, written once: package.json says it (so a package built from any clone,
// and `segura-firewall --version`, carry it), and a release is the tag vVERSION on the
// commit that sets it. projen would write 0.0.0 outside a release build.
const VERSION = '0.1.0';
project.package.addVersion(VERSION);
// `npx projen release` (bump: the changelog from the commits since the last tag, and the
// version the tag says; then build, which packages) stops when the tag is not VERSION,
// and leaves package.json as committed.
const releaseVersion = project.addTask('release:version', {
  description: `Check that the release tag (dist/version.txt, written by bump) is v${VERSION}`,
  exec: 'node -e \'const t = require("fs").readFileSync("dist/version.txt", "utf8").trim(); '
    + `if (t !== "${VERSION}") { console.error("the release tag is v" + t + ", package.json says ${VERSION}: set VERSION in .projenrc.ts, run npx projen, commit, tag v" + t); process.exit(1); }'`,
});
const release = project.tasks.tryFind('release')!;
const releaseSteps = [...release.steps];
release.reset();
for (const step of releaseSteps) {
  if (step.spawn === 'build') release.spawn(releaseVersion);
  release.addSteps(step);
}
const unbump = project.tasks.tryFind('unbump')!;
unbump.reset('git checkout HEAD -- package.json');
unbump.description = `Restores package.json as committed (version ${VERSION})`;

// `npx projen package` works from a fresh clone: it compiles first when dist/ is missing
// or older than the sources (in `npx projen build`, the compile just ran: no second one).
// (Conditions run in projen's own shell, which has no `test -f`: the check is a node one-liner.)
const STALE_BUILD = 'const fs = require(\'fs\'), p = require(\'path\'); const built = fs.existsSync(\'.jsii\') && fs.statSync(\'.jsii\').mtimeMs; '
  + 'const newer = f => (fs.statSync(f).isDirectory() ? fs.readdirSync(f).some(e => newer(p.join(f, e))) : fs.statSync(f).mtimeMs > built); '
  + 'process.exit(!built || newer(\'lib\') || newer(\'package.json\') ? 0 : 1)';
project.packageTask.prependSpawn(project.compileTask, { condition: `node -e "${STALE_BUILD}"` });

project.synth();
