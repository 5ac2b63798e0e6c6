// Language codes the importers accept. Most benchmarks encode the language
// only in the file name, so a name that is not a real code ("mgsm_xx.tsv",
// "mgsm_bengali.tsv") must fail loudly instead of creating a bogus language
// column in the dataset. (A typo that is itself a valid code, "bg" for "bn",
// cannot be caught here.)

import * as path from 'node:path';
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

export function isKnownLanguage(code: string): boolean {
  return /^[a-z]{2,3}$/.test(code) && KNOWN.has(code);
}

/**
 * The language code in a benchmark file name: `<prefix>_<lang><ext>` or
 * `<lang><ext>`, where `ext` is one of `extensions` (e.g. ".tsv").
 */
export function languageFromFileName(file: string, prefix: string, extensions: readonly string[]): string {
  const base = path.basename(file);
  const ext = extensions.find((e) => base.toLowerCase().endsWith(e));
  const shape = extensions.map((e) => `"${prefix}_<lang>${e}" or "<lang>${e}"`).join(', ');
  if (!ext) throw new InputError({ file }, `a ${prefix} file named ${shape}`);
  const stem = base.slice(0, -ext.length);
  const code = stem.startsWith(`${prefix}_`) ? stem.slice(prefix.length + 1) : stem;
  if (!/^[a-z]{2,3}$/.test(code)) {
    throw new InputError({ file }, `a file name with a language code, ${shape}, where <lang> is an ISO 639 code such as "sw" (got "${code}")`);
  }
  if (!KNOWN.has(code)) throw new InputError({ file }, `a known ISO 639-1/639-3 language code in the file name ("${code}" is not one)`);
  return code;
}
