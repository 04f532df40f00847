/**
 * npm run peer-floor: the oldest peer versions the package declares, proven. Packs the
 * package, installs it with the floor of each peer range into a scratch AWS-only and
 * a scratch Azure-only app (from the npm registry), type-checks the examples and the
 * evaluators there against those versions, synthesizes the examples and evaluates
 * what they allow against their plans.
 *
 *   npm run peer-floor                                  # the floors of package.json's peer ranges
 *   npm run peer-floor -- --aws-cdk-lib 2.100.0 --cdktf 0.20.0 --provider 13.0.0 --constructs 10.0.0
 *   npm run peer-floor -- --only aws                    # one cloud
 *   npm run peer-floor -- --probe --aws-cdk-lib 2.90.0  # try versions outside the declared ranges
 *
 * Needs the npm registry; not part of npm test. Prints one line per cloud, exits 1 on a failure.
 * `npm run test:external` runs the same floor apps (test/external/readme-apps.test.ts,
 * with the README's blocks too), through the functions exported here.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cloud, CLOUD_PEERS, createScratchApp, installArgs, packArgs, ROOT, TSC } from './scratch-app';

const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' };

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const PEERS = pkg.peerDependencies as Record<string, string>;
/** Compare two x.y.z versions. */
const compareVersions = (a: string, b: string) => {
  const [x, y] = [a, b].map(v => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
/** The lowest version of a caret or >= range: `^2.100.0` -> `2.100.0`. */
const floorOf = (range: string) => /(\d+\.\d+\.\d+)/.exec(range)![1];

/** The floor of each peer range package.json declares: `{ 'aws-cdk-lib': '2.51.0', ... }`. */
export const FLOOR_VERSIONS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(PEERS).map(([p, range]) => [p, floorOf(range)]));

function args(): { versions: Record<string, string>; only?: string; probe: boolean } {
  const argv = process.argv.slice(2);
  const flag = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  return {
    versions: {
      'aws-cdk-lib': flag('--aws-cdk-lib') ?? FLOOR_VERSIONS['aws-cdk-lib'],
      'constructs': flag('--constructs') ?? FLOOR_VERSIONS.constructs,
      'cdktf': flag('--cdktf') ?? FLOOR_VERSIONS.cdktf,
      '@cdktf/provider-azurerm': flag('--provider') ?? FLOOR_VERSIONS['@cdktf/provider-azurerm'],
    },
    only: flag('--only'),
    probe: argv.includes('--probe'),
  };
}

function run(command: string, argv: string[], cwd: string): string {
  try {
    return execFileSync(command, argv, { cwd, env: ENV, encoding: 'utf8', stdio: 'pipe', maxBuffer: 2 ** 26 });
  } catch (e: any) {
    throw new Error(`${path.basename(command)} ${argv.slice(0, 3).join(' ')} failed in ${cwd}:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n')}`);
  }
}

/** Copy a repository file into the scratch app, its imports turned into the package's and the app's own. */
function copy(from: string, to: string): void {
  const text = fs.readFileSync(path.join(ROOT, from), 'utf8')
    .replace(/'\.\.\/\.\.\/lib\/core\/roles'/g, '\'./roles\'')
    .replace(/'\.\.\/\.\.\/lib\/(\w+)'/g, '\'segura-constructs/$1\'')
    .replace(/'\.\.\/\.\.\/examples\/(aws|azure)\/app'/g, '\'./app\'');
  fs.writeFileSync(to, text);
}

/**
 * The role table (lib/core/roles.ts, not an entry of the package), for the tests' reader of
 * configurations: its data as written, its `Role` the package's own (an enum is a type of its own).
 */
function copyRoleTable(to: string): void {
  const text = fs.readFileSync(path.join(ROOT, 'lib', 'core', 'roles.ts'), 'utf8');
  const withPackageRole = text.replace(/^export enum Role \{[\s\S]*?^\}\n/m, 'import { Role } from \'segura-constructs/core\';\nexport { Role };\n');
  if (withPackageRole === text) throw new Error('lib/core/roles.ts: no `export enum Role { ... }` to replace with the package\'s');
  fs.writeFileSync(to, withPackageRole);
}

export interface CloudCheck {
  readonly peers: string[];
  readonly files: Record<string, string>;
  readonly check: string;
}

export const CLOUDS: Record<Cloud, CloudCheck> = {
  aws: {
    peers: [...CLOUD_PEERS.aws],
    files: {
      'app.ts': 'examples/aws/app.ts',
      'aws-evaluator.ts': 'test/support/aws-evaluator.ts',
      'aws-example.ts': 'test/support/aws-example.ts',
      'config-reader.ts': 'test/support/config-reader.ts',
      'example-options.ts': 'test/support/example-options.ts',
    },
    check: `import { App } from 'aws-cdk-lib';
import { buildAwsExample } from './app';
import { evaluateAwsExample } from './aws-example';
const { extra, missing, facts } = evaluateAwsExample(buildAwsExample(new App()));
console.log(JSON.stringify({ rules: facts.length, extra, missing }));
process.exitCode = extra.length + missing.length === 0 && facts.length > 0 ? 0 : 1;
`,
  },
  azure: {
    peers: [...CLOUD_PEERS.azure],
    files: {
      'app.ts': 'examples/azure/app.ts',
      'azure-evaluator.ts': 'test/support/azure-evaluator.ts',
      'azure-example.ts': 'test/support/azure-example.ts',
      'azure-defaults.ts': 'test/support/azure-defaults.ts',
      'config-reader.ts': 'test/support/config-reader.ts',
      'example-options.ts': 'test/support/example-options.ts',
    },
    check: `import { Testing } from 'cdktf';
import { buildAzureExample } from './app';
import { evaluateAzureExample } from './azure-example';
const built = buildAzureExample(Testing.app());
const tf = JSON.parse(Testing.synth(built.stack, true));
const { extra, missing } = evaluateAzureExample(built, tf);
console.log(JSON.stringify({ rules: Object.keys(tf.resource.azurerm_network_security_rule).length, extra, missing }));
process.exitCode = extra.length + missing.length === 0 ? 0 : 1;
`,
  },
};

/**
 * The specs a floor app of `cloud` installs: each peer at `versions`, constructs at our
 * floor or higher where the cloud's own packages ask for more (cdktf 0.20 and
 * provider-azurerm 13 ask for ^10.3.0). Reads their peer ranges from the registry.
 */
export function floorSpecs(cloud: Cloud, versions: Record<string, string> = FLOOR_VERSIONS): string[] {
  const peers = CLOUDS[cloud].peers;
  const asked = (spec: string) => JSON.parse(run('npm', ['view', spec, 'peerDependencies', '--json'], ROOT) || '{}').constructs as string | undefined;
  const constructsFloor = [versions.constructs, ...peers.filter(p => p !== 'constructs').map(p => asked(`${p}@${versions[p]}`))]
    .filter((v): v is string => v !== undefined).map(floorOf).sort(compareVersions).pop()!;
  return peers.map(p => `${p}@${p === 'constructs' ? constructsFloor : versions[p]}`);
}

/**
 * A floor app of `cloud` in `dir` (a new directory): the tarball and `specs`
 * installed, the example and the evaluators copied and type-checked against the
 * installed declarations (`skipLibCheck: false`), and `check.ts`, which evaluates the
 * example, compiled. Returns the check's result line. `probe` accepts versions outside
 * the declared ranges (npm refuses them otherwise: the install proves the ranges too).
 */
export function checkFloorApp(dir: string, cloud: Cloud, tarball: string, specs: string[],
  options: { probe?: boolean; extraFiles?: Record<string, string> } = {}): string {
  const c = CLOUDS[cloud];
  createScratchApp(dir, `floor-${cloud}`, { skipLibCheck: false });
  run('npm', installArgs(tarball, specs, { legacyPeers: options.probe }), dir);
  for (const [to, from] of Object.entries(c.files)) copy(from, path.join(dir, to));
  copyRoleTable(path.join(dir, 'roles.ts'));
  fs.writeFileSync(path.join(dir, 'check.ts'), c.check);
  for (const [to, text] of Object.entries(options.extraFiles ?? {})) fs.writeFileSync(path.join(dir, to), text);
  run(process.execPath, [TSC, '-p', dir], dir);
  return run(process.execPath, [path.join(dir, 'check.js')], dir).trim();
}

function main(): void {
  const { versions, only, probe } = args();
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('run `npm run compile` first (npm run peer-floor does)');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-floor-'));
  const tarball = path.join(work, run('npm', packArgs(work), ROOT).trim().split('\n').pop()!);
  let failed = false;
  for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
    if (only && only !== cloud) continue;
    const wanted = floorSpecs(cloud, versions);
    const started = Date.now();
    try {
      const result = checkFloorApp(path.join(work, cloud), cloud, tarball, wanted, { probe });
      console.log(`${cloud}: ${wanted.join(' ')}: ok ${result} (${Math.round((Date.now() - started) / 1000)} s)`);
    } catch (e) {
      failed = true;
      console.log(`${cloud}: ${wanted.join(' ')}: FAILED\n${(e as Error).message}`);
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

if (require.main === module) main();
