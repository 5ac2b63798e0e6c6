// A tokenizer description of the built-in byte-level tokenizer that other tools can read:
// tokenizer.json in the Hugging Face tokenizers format and tokenizer_config.json with the
// special tokens. It reproduces our ids (trainer/model/tokenizer.ts): each UTF-8 byte b is
// id b, then <pad> 256, <bos> 257, <sep> 258, <eos> 259. The format is GPT-2's byte level:
// the ByteLevel pre-tokenizer maps every byte to one printable character, and a BPE model
// with no merges and a vocabulary of exactly those 256 characters turns each into its byte.
// No post-processor: like encodeText, encoding adds no specials (rows add them).
import { BOS, EOS, PAD, SEP } from './tokenizer';

/** Special tokens by id, as the exported files name them. */
export const BYTE_SPECIAL_TOKENS: Readonly<Record<number, string>> = {
  [PAD]: '<pad>',
  [BOS]: '<bos>',
  [SEP]: '<sep>',
  [EOS]: '<eos>',
};

/**
 * GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68
 * bytes take the code points from U+0100 on, in byte order.
 */
export function byteLevelAlphabet(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const out: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) out.push(String.fromCharCode(printable(b) ? b : next++));
  return out;
}

/** tokenizer.json for the byte-level tokenizer. */
export function byteTokenizerJson(): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  byteLevelAlphabet().forEach((ch, b) => {
    vocab[ch] = b;
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: Object.entries(BYTE_SPECIAL_TOKENS).map(([id, content]) => ({
      id: Number(id),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

/** tokenizer_config.json: the special tokens (encoding adds none: our rows place them). */
export function byteTokenizerConfigJson(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: BYTE_SPECIAL_TOKENS[BOS],
    eos_token: BYTE_SPECIAL_TOKENS[EOS],
    pad_token: BYTE_SPECIAL_TOKENS[PAD],
    sep_token: BYTE_SPECIAL_TOKENS[SEP],
    clean_up_tokenization_spaces: false,
    model_max_length: maxLength,
  };
}
