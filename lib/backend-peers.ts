/**
 * Each backend's peer packages, checked when the backend loads: an app for one cloud
 * installs only that cloud's peers (they are optional), and a missing one is a clear
 * message naming what to install or what to import, not "Cannot find module" from
 * deep inside.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * A module of each peer package that each backend loads (beside constructs, which both
 * use): resolving it (not loading it) says whether the package is installed.
 */
const BACKEND_MODULES = {
  aws: ['aws-cdk-lib/aws-ec2'],
  azure: ['cdktf', '@cdktf/provider-azurerm/lib/network-security-group'],
} as const;
type Backend = keyof typeof BACKEND_MODULES;

/** The package a module path belongs to: `@scope/name/lib/x` -> `@scope/name`. */
const packageOf = (module: string) => module.split('/').slice(0, module.startsWith('@') ? 2 : 1).join('/');

const resolves = (module: string) => {
  try {
    require.resolve(module);
    return true;
  } catch {
    return false;
  }
};

/** The package's peer ranges (package.json is the one source). */
function peerRange(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  return pkg.peerDependencies?.[name] ?? '*';
}

/** Throw a clear error when a peer package of `backend` is not installed. */
export function requireBackendPeers(backend: Backend): void {
  const missing = BACKEND_MODULES[backend].filter(m => !resolves(m)).map(packageOf);
  if (missing.length === 0) return;
  const other = (Object.keys(BACKEND_MODULES) as Backend[]).find(b => b !== backend)!;
  throw new Error(`segura-constructs/${backend} needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed: `
    + `npm install ${missing.map(p => `${p}@"${peerRange(p)}"`).join(' ')}. `
    + `An app for ${other === 'aws' ? 'AWS' : 'Azure'} only imports 'segura-constructs/${other}': the root entry 'segura-constructs' loads both backends (for jsii languages).`);
}
