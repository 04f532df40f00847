/**
 * Every file derived from the data, in one list: `npx projen generate` writes them all
 * (scripts/generate.ts), and test/generated.test.ts checks each is current. API.md, which
 * jsii-docgen writes from the compiled API, is checked by its fingerprint (api-fingerprint.ts).
 */
import { configSchemaText } from './config-schema';
import { matrixDocument } from './matrix-doc';
import { PEER_TYPES, peerOptionsSource } from './peer-options';
import { prioritiesSource } from './priorities';
import { readmeSource } from './readme-options';

/** The one command that regenerates every derived file. */
export const REGENERATE = 'npx projen generate';

/** A generated file: its path from the repository's root, and its content given its current one. */
export interface GeneratedFile {
  readonly file: string;
  /** What the file must hold; `current` for files generated in part (the README's table). */
  readonly source: (current: string) => string;
}

export const GENERATED_FILES: readonly GeneratedFile[] = [
  { file: 'docs/matrix.md', source: () => matrixDocument() },
  { file: 'schema/segura-firewall.schema.json', source: () => configSchemaText() },
  ...PEER_TYPES.map(peer => ({ file: peer.file, source: () => peerOptionsSource(peer) })),
  { file: 'lib/azure/priorities.ts', source: () => prioritiesSource() },
  { file: 'README.md', source: readmeSource },
];
