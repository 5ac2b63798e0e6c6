// The JSON Schema of `*.solar.json`, generated from the zod schema (one definition).
// `npm run schema` writes it to protocol/runConfig.schema.json; a unit test fails when
// the committed file is stale. The extension points `jsonValidation` at that file.
import { z } from 'zod';
import { RunConfig } from './runConfig';

export function runConfigJsonSchema(): Record<string, unknown> {
  // 'input': fields with defaults are optional for the person writing the file.
  const schema = z.toJSONSchema(RunConfig, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, title: 'SOLAR run config (*.solar.json)' };
}

export function runConfigJsonSchemaText(): string {
  return JSON.stringify(runConfigJsonSchema(), null, 2) + '\n';
}
