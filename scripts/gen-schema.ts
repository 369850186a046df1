// npm run schema: regenerates schema/study.schema.json from the zod schemas (a test checks it is current).
import { writeFileSync } from 'node:fs';
import { studyJsonSchema } from '../src/config/json-schema.js';
import { builtinRegistry } from '../src/phases/builtin.js';

const path = new URL('../schema/study.schema.json', import.meta.url);
writeFileSync(path, JSON.stringify(studyJsonSchema(builtinRegistry()), null, 2) + '\n');
process.stderr.write(`wrote ${path.pathname}\n`);
