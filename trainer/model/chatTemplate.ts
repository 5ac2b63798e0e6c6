// A chat template (Jinja, from tokenizer_config.json or chat_template.jinja) turned into the
// fixed text around one user turn and one assistant turn. The template is rendered once
// with stand-in words for the two messages; the text before, between and after them is the
// same for every item, so each row is then
//   head + prompt + mid + response + tail
// and the prompt and response are tokenized on their own: the response's tokens, and so
// the loss mask, begin exactly where the assistant's message begins.
import { Template } from '@huggingface/jinja';
import { InputError } from '../../protocol/errors';

/** Words no template rewrites: letters only, so `| trim` and friends leave them alone. */
const PROMPT_MARK = 'SOLARPROMPTMARK';
const RESPONSE_MARK = 'SOLARRESPONSEMARK';

export interface TemplateText {
  /** Before the user's message (e.g. `<|im_start|>user\n`). */
  head: string;
  /** Between the user's message and the assistant's (the assistant header). */
  mid: string;
  /** After the assistant's message: starts with the end-of-turn token (e.g. `<|im_end|>\n`). */
  tail: string;
}

export interface SpecialTokenText {
  bos_token?: string;
  eos_token?: string;
  pad_token?: string;
  unk_token?: string;
}

function render(template: Template, messages: { role: string; content: string }[], s: SpecialTokenText): string {
  return template.render({
    messages,
    ...s,
    add_generation_prompt: false,
    // Qwen3's switch: a plain answer, with the empty <think> block it trains on.
    enable_thinking: false,
  });
}

/** Split a chat template into head / mid / tail; `file` and `field` name where it came from in errors. */
export function templateText(source: string, s: SpecialTokenText, file: string, field?: string): TemplateText {
  let text: string;
  try {
    const template = new Template(source);
    text = render(
      template,
      [
        { role: 'user', content: PROMPT_MARK },
        { role: 'assistant', content: RESPONSE_MARK },
      ],
      s,
    );
  } catch (e) {
    throw new InputError(
      { file, field },
      `a chat template that renders a user and an assistant message (${(e as Error).message})`,
    );
  }
  const p = text.indexOf(PROMPT_MARK);
  const r = text.indexOf(RESPONSE_MARK);
  const once = (mark: string, at: number) => at >= 0 && text.indexOf(mark, at + 1) < 0;
  if (!once(PROMPT_MARK, p) || !once(RESPONSE_MARK, r) || r < p)
    throw new InputError(
      { file, field },
      'a chat template that writes the user message once and then the assistant message once, unchanged',
    );
  return {
    head: text.slice(0, p),
    mid: text.slice(p + PROMPT_MARK.length, r),
    tail: text.slice(r + RESPONSE_MARK.length),
  };
}
