// Shared shapes for the synthetic word-problem templates.
//
// An item is decided once (template id, name index, numbers) and then rendered
// in every language from that same decision, so the languages of one item are
// translations of each other by construction, not by luck.

/**
 * The template slots. Each template fixes what a, b and c mean, so every
 * language renders the same arithmetic story:
 * - buy:   someone has `a` apples and buys `b` more;            c = a + b
 * - read:  a book has `a` pages, someone has read `b` of them;  c = a - b
 * - boxes: someone has `a` boxes with `b` pencils in each box;  c = a * b
 * - share: someone shares `a` coins equally among `b` friends;  c = a / b
 */
export const TEMPLATE_IDS = ['buy', 'read', 'boxes', 'share'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** The numbers of one item; `c` is always the (non-negative integer) answer. */
export interface Numbers {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export interface Rendered {
  readonly prompt: string;
  readonly response: string;
}

/**
 * A person in a template. Only the languages that need it read `female`
 * (Russian and Telugu past-tense verbs agree with the subject's gender) or
 * `forms` (case forms such as a Russian or Bengali genitive).
 */
export interface Person {
  readonly name: string;
  readonly female: boolean;
  readonly forms?: Readonly<Record<string, string>>;
}

export type Template = (person: Person, n: Numbers) => Rendered;

/** What a language file declares. */
export interface LanguageSpec {
  /** Code as used in `ParallelItem.langs`. */
  readonly code: string;
  /** English name, for logs and UIs. */
  readonly label: string;
  /**
   * Names that sound natural in the language. Every list alternates male,
   * female (starting male) and has the same length, so one name index gives a
   * person of the same gender in every language of an item.
   */
  readonly names: readonly Person[];
  readonly templates: Readonly<Record<TemplateId, Template>>;
}

/** Number of names every language provides (see `LanguageSpec.names`). */
export const NAME_COUNT = 8;

/** A person's case form, falling back to the plain name where none is given. */
export function form(person: Person, key: string): string {
  return person.forms?.[key] ?? person.name;
}

/** Picks the gendered variant of a word (male first, as in the name lists). */
export function byGender(person: Person, male: string, female: string): string {
  return person.female ? female : male;
}
