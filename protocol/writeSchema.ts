// `npm run schema`: regenerate protocol/runConfig.schema.json from the zod schema.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runConfigJsonSchemaText } from './jsonSchema';

const out = path.join(__dirname, 'runConfig.schema.json');
fs.writeFileSync(out, runConfigJsonSchemaText());
process.stdout.write(`wrote ${out}\n`);
