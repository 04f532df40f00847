// Writes docs/matrix.md from the data (`npx projen docs`). test/cli.test.ts fails when it is stale.
import * as fs from 'fs';
import * as path from 'path';
import { matrixDocument } from '../lib/cli/table';

fs.writeFileSync(path.join(__dirname, '..', 'docs', 'matrix.md'), matrixDocument());
