/**
 * Writes `src/api/schema/generated/types.ts` (see `table-source.ts` for where its facts come from).
 * Run: `node dist/src/api/schema/gen/generate.js [path/to/kubectl.1.32]`.
 */
import { writeFileSync } from 'node:fs';
import { buildTableSource, DEFAULT_KUBECTL_BINARY, TABLE_FILE } from './table-source.js';

const { text, warnings, count } = buildTableSource(process.argv[2] ?? DEFAULT_KUBECTL_BINARY);
writeFileSync(TABLE_FILE, text);
for (const w of warnings) console.error(`warning: ${w}`);
console.log(`${count} types written to ${TABLE_FILE}`);
