// Shipped run configs validate wherever they are copied: package.json's `jsonValidation`
// covers every `*.solar.json`, and a relative `$schema` ("../protocol/runConfig.schema.json")
// would replace it with a schema that cannot load once the file leaves the repository
// ("Unable to load schema"), so wrong values pass unflagged. None of the shipped configs
// carries one, and `$schema` stays allowed for a user's absolute URL.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runConfigJsonSchema } from '../../protocol/jsonSchema';
import { RunConfig } from '../../protocol/runConfig';
import { EXAMPLES, ROOT } from '../helpers/helpers';

/** Every `*.solar.json` under a folder (the examples ship as a workspace: any depth). */
function configsUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '.solar' || e.name === 'node_modules' ? [] : configsUnder(p);
    return e.name.endsWith('.solar.json') ? [p] : [];
  });
}

/** An absolute URI (`https:`, `file:`…): resolves the same wherever the config is. */
const isAbsoluteUri = (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s);

test('no shipped config carries a relative $schema', () => {
  const configs = configsUnder(EXAMPLES);
  assert.ok(configs.length >= 2, `example configs found: ${configs.join(', ')}`);
  for (const file of configs) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const schema = json.$schema;
    assert.ok(
      schema === undefined || (typeof schema === 'string' && isAbsoluteUri(schema)),
      `${path.relative(ROOT, file)}: "$schema": ${JSON.stringify(schema)} is relative; package.json's jsonValidation already validates *.solar.json`,
    );
  }
});

test('the absolute-URI check tells relative paths from URIs', () => {
  assert.ok(isAbsoluteUri('https://example.org/runConfig.schema.json'));
  assert.ok(isAbsoluteUri('file:///opt/solar/runConfig.schema.json'));
  for (const relative of ['../protocol/runConfig.schema.json', './schema.json', 'schema.json', 'C:\\schema.json'])
    assert.ok(!isAbsoluteUri(relative), relative);
});

test('package.json validates every *.solar.json with the shipped schema', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const rules = pkg.contributes.jsonValidation as { fileMatch: string; url: string }[];
  const rule = rules.find((r) => r.fileMatch === '*.solar.json');
  assert.ok(rule, 'a jsonValidation rule for *.solar.json');
  assert.ok(fs.existsSync(path.join(ROOT, rule.url)), `${rule.url} exists`);
});

test('a user may still set an absolute $schema: the config and its JSON Schema allow the key', () => {
  const url = 'https://example.org/runConfig.schema.json';
  const parsed = RunConfig.parse({ $schema: url, data: { train: 'data/train.parallel.jsonl' } });
  assert.equal(parsed.$schema, url);
  const properties = runConfigJsonSchema().properties as Record<string, { type?: string }>;
  assert.equal(properties.$schema?.type, 'string');
});
