// Which language a benchmark file holds. Most benchmarks say it only in the path, and
// each in its own way: `mgsm_bn.tsv`, XCOPA's `data/et/test.et.jsonl` and
// `val.et.jsonl`, XNLI-MT's `multinli.train.de.tsv`, MathOctopus's `test_Thai.json`.
// A file name is read as words: the benchmark's own prefix and split words ("test",
// "val", ...) are skipped, and what remains must be one language, as an ISO 639 code or
// an English name. A name that is none ("mgsm_xx.tsv", "mgsm_klingon.tsv") fails loudly
// instead of creating a bogus language column. (A typo that is itself a valid code,
// "bg" for "bn", cannot be caught here.)

import * as path from 'node:path';
import { LanguageCode } from '../../../protocol/dataset';
import { InputError } from '../../../protocol/errors';

/** Every ISO 639-1 code. */
const ISO_639_1 = (
  'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es ' +
  'et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj ' +
  'kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ' +
  'ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti ' +
  'tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
).split(' ');

/**
 * ISO 639-3 codes seen in multilingual benchmarks (AfriMGSM, IrokoBench,
 * FLORES, ...) for languages without a 639-1 code or commonly written in 639-3.
 */
const ISO_639_3 = (
  'yor hau ibo amh swh zul xho kin lug lin orm sna sot twi ewe wol fon bam luo kik tsn ' +
  'fil ceb haw hmn yue cmn nso pcm kea mos'
).split(' ');

const KNOWN: ReadonlySet<string> = new Set([...ISO_639_1, ...ISO_639_3]);

/** English names as benchmark files spell them (MathOctopus: `test_Bengali.json`), lower-cased. */
const NAMES: ReadonlyMap<string, string> = new Map(
  (
    'amharic:am arabic:ar bengali:bn bangla:bn bulgarian:bg burmese:my chinese:zh czech:cs danish:da dutch:nl ' +
    'english:en estonian:et ewe:ee finnish:fi french:fr german:de greek:el gujarati:gu haitian:ht hausa:ha ' +
    'hebrew:he hindi:hi hungarian:hu igbo:ig indonesian:id italian:it japanese:ja kannada:kn khmer:km ' +
    'kinyarwanda:rw korean:ko lao:lo lingala:ln malay:ms malayalam:ml marathi:mr nepali:ne norwegian:no ' +
    'oromo:om persian:fa polish:pl portuguese:pt punjabi:pa quechua:qu romanian:ro russian:ru shona:sn ' +
    'somali:so sotho:st spanish:es swahili:sw swedish:sv tagalog:tl tamil:ta telugu:te thai:th tswana:tn ' +
    'turkish:tr twi:tw ukrainian:uk urdu:ur vietnamese:vi wolof:wo xhosa:xh yoruba:yo zulu:zu'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** Words in benchmark file names that say which split, not which language. */
const SPLIT_WORDS: ReadonlySet<string> = new Set([
  'train',
  'training',
  'dev',
  'val',
  'valid',
  'validation',
  'test',
  'eval',
]);

export function isKnownLanguage(code: string): boolean {
  return /^[a-z]{2,3}$/.test(code) && KNOWN.has(code);
}

/** The language a word of a path names (a known code or an English name, any case), if any. */
export function languageOfWord(word: string): string | undefined {
  const w = word.toLowerCase();
  if (isKnownLanguage(w)) return w;
  return NAMES.get(w);
}

/** How a benchmark names its files: its own prefixes ("mgsm", "multinli") and extensions (".tsv"). */
export interface FileNaming {
  prefixes: readonly string[];
  extensions: readonly string[];
}

function shapes(naming: FileNaming): string {
  const [prefix] = naming.prefixes;
  return naming.extensions.map((e) => `"${prefix}_<lang>${e}" or "<lang>${e}"`).join(', ');
}

/**
 * The language in a file name, or undefined when the name has only prefix and split
 * words ("test.jsonl"). A name with other words is an error: guessing there would
 * mislabel a language.
 */
export function languageInFileName(file: string, naming: FileNaming): string | undefined {
  const base = path.basename(file);
  const ext = naming.extensions.find((e) => base.toLowerCase().endsWith(e));
  if (!ext) throw new InputError({ file }, `a ${naming.prefixes[0]} file named ${shapes(naming)}`);
  const stem = base.slice(0, -ext.length);
  const skip = (w: string) => naming.prefixes.includes(w.toLowerCase()) || SPLIT_WORDS.has(w.toLowerCase());
  const rest = stem.split(/[._-]+/).filter((w) => w !== '' && !skip(w));
  if (rest.length === 0) return undefined;
  if (rest.length === 1) {
    const lang = languageOfWord(rest[0]);
    if (lang) return lang;
    if (/^[a-z]{2,3}$/i.test(rest[0]))
      throw new InputError(
        { file },
        `a known ISO 639-1/639-3 language code in the file name ("${rest[0]}" is not one)`,
      );
  }
  const shown = naming.prefixes.reduce(
    (s, p) => (s.toLowerCase().startsWith(`${p}_`) ? s.slice(p.length + 1) : s),
    stem,
  );
  throw new InputError(
    { file },
    `a file name with a language, ${shapes(naming)}, where <lang> is an ISO 639 code such as "sw" or an English name such as "Swahili" (got "${shown}")`,
  );
}

/**
 * The language of each file of one import: from its file name, else from `--language`,
 * else from its parent folder (XCOPA's `data/<lang>/`). The flag wins over the folder
 * because the folder is only a guess; it never overrides a language the file name says.
 */
export class FileLanguages {
  private used = false;

  constructor(private readonly fallback?: string) {
    if (fallback !== undefined && !LanguageCode.safeParse(fallback).success) {
      throw new InputError(
        { file: '--language', field: 'language' },
        `a language code such as "en" or "sw" (got "${fallback}")`,
      );
    }
  }

  of(file: string, naming: FileNaming): string {
    const named = languageInFileName(file, naming);
    if (named) return named;
    if (this.fallback) {
      this.used = true;
      return this.fallback;
    }
    const folder = languageOfWord(path.basename(path.dirname(path.resolve(file))));
    if (folder) return folder;
    throw new InputError(
      { file },
      `a language in the file name (${shapes(naming)}), in its folder ("<lang>/${path.basename(file)}"), or given with --language (none found)`,
    );
  }

  /** A `--language` no file needed would be ignored without a word: refuse it. */
  checkUsed(files: readonly string[]): void {
    if (this.fallback === undefined || this.used) return;
    throw new InputError(
      { file: '--language', field: 'language' },
      `a file whose name gives no language for "--language ${this.fallback}" to name; each of ${files.map((f) => path.basename(f)).join(', ')} names its own (or holds several)`,
    );
  }
}
