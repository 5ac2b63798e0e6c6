// The checks of one line of a `*.parallel.jsonl` file: JSON, the ParallelItem schema
// (errors: the trainer refuses the file), then what loads but looks wrong (warnings):
// whitespace-only text, an id or answer with whitespace around it, text in another
// language's script, a response whose last number is not the answer, a prompt whose
// numbers differ from the pivot's. Each problem points at its field's text in the line.
import { z } from 'zod';
import { ParallelItem } from '../dataset';
import { fromZodError } from '../errors';
import { type JsonNode, scanJson, spanAt } from './jsonSpans';
import { answerDigits, numbersIn, sameNumbers } from './numbers';
import { PROBLEM_CODES as CODES, type LineProblem } from './problem';
import { foreignScript, languageScripts, scriptLabel } from './scripts';

export interface CheckOptions {
  /** The pivot language: prompts' numbers are compared with its prompt, and items without it are reported. */
  pivot?: string;
  /** false: only the errors the trainer refuses a file for (the loader's fast path). Default true. */
  warnings?: boolean;
}

export interface LineCheck {
  /** The line holds only whitespace: not an item, not a problem. */
  blank: boolean;
  /** The line's JSON value, when it parses (also when it fails the schema). */
  value?: unknown;
  /** The item, when the line passes the schema. */
  item?: ParallelItem;
  problems: LineProblem[];
}

/** A problem before it is located: the path of the value it concerns, and the value a fix would write. */
interface Finding extends Omit<LineProblem, 'column' | 'endColumn' | 'fix'> {
  path: readonly (string | number)[];
  /** Underline the key at `path`, not its value (an unknown field). */
  onKey?: boolean;
  fixText?: string;
}

export function checkLine(text: string, options: CheckOptions = {}): LineCheck {
  const trimmed = text.trim();
  if (!trimmed) return { blank: true, problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    const scan = scanJson(text);
    const problem: LineProblem = {
      severity: 'error',
      code: CODES.json,
      message: `one JSON object per line (${(e as Error).message})`,
    };
    if (!scan.ok) {
      problem.column = Math.min(scan.at, text.length - 1);
      problem.endColumn = problem.column + 1;
      if (scan.trailingComma !== undefined) {
        problem.column = scan.trailingComma;
        problem.endColumn = scan.at + 1;
        problem.fix = {
          title: 'Remove the trailing comma',
          column: scan.trailingComma,
          endColumn: scan.trailingComma + 1,
          text: '',
        };
      }
    }
    return { blank: false, problems: [problem] };
  }
  const parsed = ParallelItem.safeParse(value, { reportInput: true });
  const findings: Finding[] = parsed.success
    ? options.warnings === false
      ? []
      : contentFindings(parsed.data, options)
    : parsed.error.issues.map((issue) => schemaFinding(issue));
  return {
    blank: false,
    value,
    item: parsed.success ? parsed.data : undefined,
    problems: locate(text, findings),
  };
}

/** One zod issue in the words the loader's InputError uses (one wording for every caller). */
function schemaFinding(issue: z.core.$ZodIssue): Finding {
  const described = fromZodError(new z.ZodError([issue]), '');
  // An unknown field is the key to underline, not the object holding it.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  return {
    severity: 'error',
    code: CODES.schema,
    message: described.expected,
    path: path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    onKey: issue.code === 'unrecognized_keys',
    // The loader names the issue's own path (for an unknown key, the object holding it); '' is the item itself.
    field: described.location.field ?? '',
  };
}

function contentFindings(item: ParallelItem, options: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const warn = (code: string, path: (string | number)[], message: string, fixText?: string) =>
    out.push({ severity: 'warning', code, path, message, fixText });

  for (const key of ['id', 'answer'] as const) {
    const v = item[key];
    if (!v.trim()) warn(CODES.whitespace, [key], `text, not only whitespace, in the ${key}`);
    else if (v !== v.trim())
      warn(
        CODES.whitespace,
        [key],
        `${key === 'id' ? 'an id' : 'an answer'} without whitespace around it (${JSON.stringify(v)})`,
        v.trim(),
      );
  }
  // A multiple-choice answer is an index, not a number the responses state.
  const answer = Object.values(item.langs).some((e) => e.choices) ? undefined : answerDigits(item.answer);
  const pivotEntry = options.pivot === undefined ? undefined : item.langs[options.pivot];
  const pivotNumbers = pivotEntry ? numbersIn(pivotEntry.prompt) : undefined;

  for (const [lang, entry] of Object.entries(item.langs)) {
    const texts: [string, string][] = [['prompt', entry.prompt]];
    if (entry.response !== undefined) texts.push(['response', entry.response]);
    entry.choices?.forEach((c, i) => texts.push([`choices.${i}`, c]));
    for (const [key, text] of texts) {
      const path = ['langs', lang, ...key.split('.')];
      if (!text.trim()) {
        warn(CODES.whitespace, path, `text, not only whitespace, in the ${key.split('.')[0]}`);
        continue;
      }
      // Choices may be labels shared by every language (XNLI's "entailment"), and a
      // response that is a choice is that label; the pivot's own response under this
      // language's prompt is a deliberate alignment target (`data generate --pivot-response`).
      if (key.startsWith('choices') || entry.choices?.includes(text)) continue;
      if (key === 'response' && lang !== options.pivot && text === pivotEntry?.response) continue;
      const foreign = foreignScript(lang, text);
      if (foreign) {
        const want = languageScripts(lang)!.map(scriptLabel).join('/');
        const share = Math.round((1 - foreign.expectedShare) * 100);
        warn(
          CODES.script,
          path,
          `text in the ${want} script for "${lang}" (${share}% of its letters are ${foreign.script === 'another' ? 'in another script' : scriptLabel(foreign.script)})`,
        );
      }
    }
    if (answer !== undefined && entry.response !== undefined) {
      const last = numbersIn(entry.response).at(-1);
      if (last !== undefined && last !== answer)
        warn(
          CODES.answer,
          ['langs', lang, 'response'],
          `a response ending in the answer ${item.answer.trim()} (its last number reads ${last})`,
        );
    }
    if (pivotNumbers && lang !== options.pivot) {
      const mine = numbersIn(entry.prompt);
      if (!sameNumbers(mine, pivotNumbers))
        warn(
          CODES.numbers,
          ['langs', lang, 'prompt'],
          `the numbers of the pivot's prompt (${options.pivot}: ${list(pivotNumbers)}; this one: ${list(mine)})`,
        );
    }
  }
  return out;
}

const list = (ns: readonly string[]) => (ns.length ? ns.join(', ') : 'none');

/** Give each finding its dotted field and the span of its text; fixes become replacements of that span. */
function locate(text: string, findings: Finding[]): LineProblem[] {
  if (!findings.length) return [];
  const scan = scanJson(text);
  const root: JsonNode | undefined = scan.ok ? scan.root : undefined;
  return findings.map(({ path, onKey, fixText, field: named, ...rest }) => {
    const field = named ?? path.join('.');
    const p: LineProblem = field ? { ...rest, field } : rest;
    if (root) {
      const span = spanAt(root, path.map(String), onKey);
      p.column = span.start;
      p.endColumn = span.end;
      if (fixText !== undefined)
        p.fix = { title: `Trim the ${field}`, column: span.start, endColumn: span.end, text: JSON.stringify(fixText) };
    }
    return p;
  });
}
