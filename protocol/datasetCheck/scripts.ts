// Which script each language is written in, to catch a cell holding another language's
// text (the English prompt pasted into the Telugu column, a Russian response under "bg"
// would pass, but a Latin one would not). Only letters count: digits, punctuation and
// combining marks are shared by every script. Languages written in more than one script
// (Serbian, Punjabi, Uzbek …) are checked only when their code names the script
// ("sr-Latn", "uz-Cyrl"); languages not listed are not checked.

/** Unicode script names (as `\p{Script=…}` spells them) with the name a message shows. */
const SCRIPT_LABELS: Readonly<Record<string, string>> = {
  Latin: 'Latin',
  Cyrillic: 'Cyrillic',
  Greek: 'Greek',
  Armenian: 'Armenian',
  Georgian: 'Georgian',
  Hebrew: 'Hebrew',
  Arabic: 'Arabic',
  Thaana: 'Thaana',
  Ethiopic: 'Ethiopic',
  Devanagari: 'Devanagari',
  Bengali: 'Bengali',
  Gurmukhi: 'Gurmukhi',
  Gujarati: 'Gujarati',
  Oriya: 'Odia',
  Tamil: 'Tamil',
  Telugu: 'Telugu',
  Kannada: 'Kannada',
  Malayalam: 'Malayalam',
  Sinhala: 'Sinhala',
  Thai: 'Thai',
  Lao: 'Lao',
  Tibetan: 'Tibetan',
  Myanmar: 'Myanmar',
  Khmer: 'Khmer',
  Hangul: 'Hangul',
  Han: 'Han',
  Hiragana: 'Hiragana',
  Katakana: 'Katakana',
};

const SCRIPT_RE: ReadonlyMap<string, RegExp> = new Map(
  Object.keys(SCRIPT_LABELS).map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')]),
);

/** ISO 15924 subtags of a language code ("sr-Latn") that name one of the scripts above. */
const SUBTAGS: Readonly<Record<string, string>> = {
  Latn: 'Latin',
  Cyrl: 'Cyrillic',
  Arab: 'Arabic',
  Deva: 'Devanagari',
  Guru: 'Gurmukhi',
  Hans: 'Han',
  Hant: 'Han',
  Mymr: 'Myanmar',
};

const LATIN =
  'en es fr de it pt nl sv da no nb nn fi et lv lt pl cs sk sl hr bs ro hu tr az id ms tl fil ceb vi sw swh yo yor ' +
  'ha hau ig ibo zu zul xh xho af sq eu ca gl ga gd cy mt is fo lb so om orm rw kin sn sna st sot tn ts wo ln lin lg ' +
  'lug ny mg qu ay gn ht eo la haw mi sm to ee tw fon bm bam kea pcm mos nso kik luo';

/** Base language code -> the scripts its text is written in. */
const LANGUAGE_SCRIPTS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...LATIN.split(' ').map((l): [string, string[]] => [l, ['Latin']]),
  ...(
    [
      ['ru uk be bg mk kk ky tg mn', 'Cyrillic'],
      ['el', 'Greek'],
      ['hy', 'Armenian'],
      ['ka', 'Georgian'],
      ['he yi', 'Hebrew'],
      ['ar fa ur ps ug ckb sd', 'Arabic'],
      ['dv', 'Thaana'],
      ['am ti', 'Ethiopic'],
      ['hi mr ne sa', 'Devanagari'],
      ['bn as', 'Bengali'],
      ['gu', 'Gujarati'],
      ['or', 'Oriya'],
      ['ta', 'Tamil'],
      ['te', 'Telugu'],
      ['kn', 'Kannada'],
      ['ml', 'Malayalam'],
      ['si', 'Sinhala'],
      ['th', 'Thai'],
      ['lo', 'Lao'],
      ['bo dz', 'Tibetan'],
      ['my', 'Myanmar'],
      ['km', 'Khmer'],
      ['zh yue cmn', 'Han'],
    ] as const
  ).flatMap(([codes, script]) => codes.split(' ').map((l): [string, string[]] => [l, [script]])),
  ['ja', ['Han', 'Hiragana', 'Katakana']],
  ['ko', ['Hangul', 'Han']],
]);

/** The scripts text in `lang` is written in, or undefined when that is not known. */
export function languageScripts(lang: string): readonly string[] | undefined {
  const [base, ...subtags] = lang.split('-');
  for (const tag of subtags) if (SUBTAGS[tag]) return [SUBTAGS[tag]];
  return LANGUAGE_SCRIPTS.get(base);
}

export function scriptLabel(script: string): string {
  return SCRIPT_LABELS[script] ?? script;
}

/** Fewer letters than this say too little (a unit, a name, "OK"). */
const MIN_LETTERS = 3;
/** Text with fewer of its letters in its language's script than this share is reported. */
const MAX_SHARE = 0.1;
const NOT_LETTERS = /\P{L}+/gu;
const outsideRe = new Map<string, RegExp>();

/**
 * When almost none (under a tenth) of the letters of `text` are in the scripts of `lang`: the script
 * most of them are in instead ("Latin"), and the share of letters in the expected scripts.
 */
export function foreignScript(lang: string, text: string): { script: string; expectedShare: number } | undefined {
  const expected = languageScripts(lang);
  if (!expected) return undefined;
  const key = expected.join('|');
  let outside = outsideRe.get(key);
  if (!outside) {
    outside = new RegExp(`[^${expected.map((s) => `\\p{Script=${s}}`).join('')}]+`, 'gu');
    outsideRe.set(key, outside);
  }
  // Lengths of native replacements, not a loop over characters: this runs on every cell
  // of every item as the user types. (UTF-16 units: a letter outside the BMP counts twice
  // on both sides of the ratio.)
  const letters = text.replace(NOT_LETTERS, '');
  if (letters.length < MIN_LETTERS) return undefined;
  const inScript = letters.replace(outside, '').length;
  // Almost none, not a minority: prompts that frame native text in English ("Premise: …
  // Question: What was the effect?", as the XCOPA importer writes them) are fine.
  if (inScript >= letters.length * MAX_SHARE) return undefined;
  const others = new Map<string, number>();
  for (const ch of letters) {
    if (expected.some((s) => SCRIPT_RE.get(s)!.test(ch))) continue;
    let script = 'another';
    for (const [name, re] of SCRIPT_RE)
      if (re.test(ch)) {
        script = name;
        break;
      }
    others.set(script, (others.get(script) ?? 0) + 1);
  }
  const [script] = [...others].sort((a, b) => b[1] - a[1])[0];
  return { script, expectedShare: inScript / letters.length };
}
