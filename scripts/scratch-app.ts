/**
 * Scratch apps outside the repository, as a user makes them: a package.json, a strict
 * tsconfig, and `npm install` of the packed package with one cloud's peers. Used by the
 * README's test, `npm run peer-floor` and `npm run figures`.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The repository. */
export const ROOT = path.join(__dirname, '..');

/** Each cloud's peers: what an app for that cloud installs beside the package. */
export const CLOUD_PEERS = {
  aws: ['aws-cdk-lib', 'constructs'],
  azure: ['cdktf', '@cdktf/provider-azurerm', 'constructs'],
} as const;
export type Cloud = keyof typeof CLOUD_PEERS;

/** `npm pack` into `into`: its arguments (the tarball's name is the last line npm prints). */
export const packArgs = (into: string) => ['pack', '--pack-destination', into];

/**
 * A new app in `dir`: its package.json, and a strict tsconfig for the `*.ts` files
 * beside it (Node's types from the repository). `skipLibCheck: false` also checks the
 * installed packages' declarations against each other (slower; for the peer floor).
 */
export function createScratchApp(dir: string, name: string, options: { skipLibCheck: boolean }): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: options.skipLibCheck,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    },
    include: ['*.ts'],
  }));
}

/** `npm install` of the tarball and peer specs (`aws-cdk-lib@2.51.0`): its arguments. */
export function installArgs(tarball: string, specs: readonly string[], options: { legacyPeers?: boolean } = {}): string[] {
  return ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...(options.legacyPeers ? ['--legacy-peer-deps'] : []), tarball, ...specs];
}

/** The TypeScript compiler of the repository: `node TSC -p dir`. */
export const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
