// A Hugging Face tokenizer from a model folder: tokenizer.json read by
// @huggingface/tokenizers (a maintained JS implementation; nothing is fetched), the special
// tokens from tokenizer_config.json, and the chat template applied with @huggingface/jinja
// when the folder has one (tokenizer_config.json's chat_template, or chat_template.jinja).
//
// Row layout (trainer/model/tokenizer.ts): with a template, head / mid are the template's
// text around the user message and `end` is its end-of-turn token (<|im_end|>, <|eot_id|>),
// so the loss covers exactly the assistant's response and that token. Without a template
// (a base model): <bos> (when the tokenizer has one and does not say add_bos_token: false)
// prompt "\n" response <eos>.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer as HfLibTokenizer } from '@huggingface/tokenizers';
import { InputError } from '../../protocol/errors';
import { type SpecialTokenText, templateText } from './chatTemplate';
import { readJsonObject } from './readJson';
import { type EncodedPair, layoutPair, type Tokenizer } from './tokenizer';

/** Files a checkpoint copies from the source folder so other tools tokenize the same way. */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.jinja',
  'added_tokens.json',
] as const;

/** What config.json / generation_config.json say about token ids (they may name more stop tokens). */
export interface TokenIdHints {
  eosTokenIds?: number[];
  padTokenId?: number;
}

/** tokenizer_config.json writes a special token as a string or as an AddedToken {content, ...}. */
function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string')
    return (v as { content: string }).content;
  return undefined;
}

export class HfTokenizer implements Tokenizer {
  readonly kind = 'huggingface' as const;
  readonly vocabSize: number;
  readonly bosId: number | null;
  readonly eosId: number;
  readonly padId: number;
  readonly stopIds: readonly number[];
  /** Whether rows follow a chat template (else the base-model layout). */
  readonly chatTemplate: boolean;
  /** The folder the files came from, and which of TOKENIZER_FILES it has (absolute paths). */
  readonly dir: string;
  readonly sourceFiles: readonly string[];
  private readonly lib: HfLibTokenizer;
  private readonly head: number[];
  private readonly mid: number[];
  private readonly end: number[];
  /** Dataset texts recur every epoch: each is tokenized once. */
  private readonly cache = new Map<string, number[]>();

  constructor(dir: string, hints: TokenIdHints = {}) {
    this.dir = path.resolve(dir);
    this.sourceFiles = TOKENIZER_FILES.map((f) => path.join(this.dir, f)).filter((f) => fs.existsSync(f));
    const jsonFile = path.join(this.dir, 'tokenizer.json');
    const configFile = path.join(this.dir, 'tokenizer_config.json');
    const json = readJsonObject(jsonFile, 'a tokenizer.json (the fast tokenizer file of a Hugging Face model)');
    const config = fs.existsSync(configFile) ? readJsonObject(configFile, 'tokenizer_config.json') : {};
    try {
      this.lib = new HfLibTokenizer(json, config);
    } catch (e) {
      throw new InputError(
        { file: jsonFile },
        `a tokenizer @huggingface/tokenizers can read (${(e as Error).message})`,
      );
    }
    const special = (field: 'bos_token' | 'eos_token' | 'pad_token') => {
      const text = tokenText(config[field]);
      if (text === undefined) return undefined;
      const id = this.lib.token_to_id(text);
      if (id === undefined)
        throw new InputError({ file: configFile, field }, `a token of tokenizer.json ("${text}" is not one)`);
      return id;
    };
    const eos = special('eos_token') ?? hints.eosTokenIds?.[0];
    if (eos === undefined)
      throw new InputError(
        { file: configFile, field: 'eos_token' },
        'an end-of-sequence token (none is named here or in config.json)',
      );
    this.eosId = eos;
    this.bosId = special('bos_token') ?? null;
    this.padId = special('pad_token') ?? hints.padTokenId ?? eos;
    let top = 0;
    for (const id of this.lib.get_vocab(true).values()) top = Math.max(top, id);
    this.vocabSize = top + 1;

    const template = this.templateSource(config, configFile);
    if (template) {
      const texts: SpecialTokenText = {};
      for (const k of ['bos_token', 'eos_token', 'pad_token', 'unk_token'] as const) {
        const t = tokenText(config[k]);
        if (t !== undefined) texts[k] = t;
      }
      const t = templateText(template.source, texts, template.file, template.field);
      this.head = this.encodeText(t.head);
      this.mid = this.encodeText(t.mid);
      const tail = this.encodeText(t.tail);
      // The end-of-turn token: the special token the template closes the assistant turn with.
      this.end = tail.length && this.lib.get_added_tokens_decoder().get(tail[0])?.special ? [tail[0]] : [eos];
    } else {
      this.head = this.bosId !== null && config.add_bos_token !== false ? [this.bosId] : [];
      this.mid = this.encodeText('\n');
      this.end = [eos];
    }
    this.chatTemplate = template !== undefined;
    this.stopIds = [...new Set([...this.end, eos, ...(hints.eosTokenIds ?? [])])];
  }

  private templateSource(
    config: Record<string, unknown>,
    configFile: string,
  ): { source: string; file: string; field?: string } | undefined {
    const t = config.chat_template;
    if (typeof t === 'string') return { source: t, file: configFile, field: 'chat_template' };
    // Several named templates: the default one.
    if (Array.isArray(t)) {
      const i = t.findIndex((x) => x && typeof x === 'object' && (x as { name?: unknown }).name === 'default');
      const source = i >= 0 ? (t[i] as { template?: unknown }).template : undefined;
      if (typeof source === 'string') return { source, file: configFile, field: `chat_template.${i}.template` };
      throw new InputError(
        { file: configFile, field: 'chat_template' },
        'a template string, or a list with one named "default"',
      );
    }
    const jinja = path.join(this.dir, 'chat_template.jinja');
    if (fs.existsSync(jinja)) return { source: fs.readFileSync(jinja, 'utf8'), file: jinja };
    return undefined;
  }

  /** Ids of a text alone, no special tokens added (special tokens written in the text are still matched). */
  encodeText(text: string): number[] {
    let ids = this.cache.get(text);
    if (!ids) {
      ids = this.lib.encode(text, { add_special_tokens: false }).ids;
      this.cache.set(text, ids);
    }
    return ids;
  }

  encodePair(prompt: string, response: string | undefined, maxLen: number): EncodedPair {
    const r = response === undefined ? [] : [...this.encodeText(response), ...this.end];
    return layoutPair(this.head, this.encodeText(prompt), this.mid, r, maxLen);
  }

  promptLength(prompt: string): number {
    return this.head.length + this.encodeText(prompt).length + this.mid.length;
  }

  responseLength(response: string): number {
    return this.encodeText(response).length + this.end.length;
  }

  decode(ids: readonly number[]): string {
    return this.lib.decode([...ids], { skip_special_tokens: true });
  }

  /** Every token with special tokens kept, for tests and logs. */
  decodeWithSpecials(ids: readonly number[]): string {
    return this.lib.decode([...ids], { skip_special_tokens: false });
  }
}
