// Registry of every language the synthetic generator can render.
//
// Order matters only for output stability: generate.ts emits `langs` in this
// order (pivot first), so keep new languages appended at the end.
import { african } from './african';
import { asian } from './asian';
import { european } from './european';
import { indic } from './indic';
import type { LanguageSpec } from './types';
import { NAME_COUNT, TEMPLATE_IDS } from './types';

export type { LanguageSpec, Numbers, Person, Rendered, Template, TemplateId } from './types';
export { NAME_COUNT, TEMPLATE_IDS } from './types';

export const LANGUAGE_SPECS: readonly LanguageSpec[] = [...european, ...asian, ...indic, ...african];

export const LANGUAGES_BY_CODE: ReadonlyMap<string, LanguageSpec> = new Map(
  LANGUAGE_SPECS.map((spec) => [spec.code, spec]),
);

// Checked once at load: an item's name index and template id must be valid in
// every language, otherwise a language would silently render a different item.
for (const spec of LANGUAGE_SPECS) {
  if (spec.names.length !== NAME_COUNT) {
    throw new Error(`languages/${spec.code}: expected ${NAME_COUNT} names, got ${spec.names.length}`);
  }
  spec.names.forEach((person, i) => {
    if (person.female !== (i % 2 === 1)) {
      throw new Error(`languages/${spec.code}: name ${i} (${person.name}) breaks the male/female alternation`);
    }
  });
  for (const id of TEMPLATE_IDS) {
    if (typeof spec.templates[id] !== 'function') {
      throw new Error(`languages/${spec.code}: missing template "${id}"`);
    }
  }
}
