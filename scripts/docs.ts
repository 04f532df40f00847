// Writes the files generated from the data (`npx projen docs`): docs/matrix.md, the CLI
// config's JSON schema, and the Azure priority slots (append-only). Tests fail when
// any of them is stale.
import * as fs from 'fs';
import * as path from 'path';
import { PEER_TYPES, peerOptionsSource } from './props-source';
import { PRIORITY_SLOTS } from '../lib/azure/priorities';
import { appendSlots, slotTableSource } from '../lib/azure/slots';
import { matrixDocument } from '../lib/cli/docs';
import { configSchemaText } from '../lib/cli/schema';

const ROOT = path.join(__dirname, '..');
fs.writeFileSync(path.join(ROOT, 'docs', 'matrix.md'), matrixDocument());
fs.writeFileSync(path.join(ROOT, 'schema', 'segura-firewall.schema.json'), configSchemaText());
fs.writeFileSync(path.join(ROOT, 'lib', 'azure', 'priorities.ts'), slotTableSource(appendSlots(PRIORITY_SLOTS)));
for (const peer of PEER_TYPES) fs.writeFileSync(path.join(ROOT, peer.file), peerOptionsSource(peer));
