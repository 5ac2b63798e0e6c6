// Where each value of a JSON line sits in its text. JSON.parse gives values but no
// positions (and its error messages say "at position N" only in some engines), so this
// small scanner, which accepts exactly JSON's grammar, gives the spans that diagnostics
// point at, the column of a syntax error, and the places a line edit rewrites.
// Offsets are JavaScript string indices (UTF-16 code units), as VS Code counts characters.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number }
  | { kind: 'literal'; start: number; end: number };

export interface JsonMember {
  key: string;
  keyStart: number;
  /** Just past the key's closing quote. */
  keyEnd: number;
  value: JsonNode;
}

export type JsonScan =
  | { ok: true; root: JsonNode }
  | {
      ok: false;
      /** Where the text stops being JSON. */
      at: number;
      /** A comma directly before a closing bracket: the one syntax error with a single obvious repair. */
      trailingComma?: number;
    };

class Stop {
  constructor(
    readonly at: number,
    readonly trailingComma?: number,
  ) {}
}

/** Lines are shallow; a bound keeps a pathological "[[[[…" from exhausting the stack. */
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/**
 * Scan one line as JSON. Whitespace around the value is skipped as the dataset loader
 * trims it (JavaScript's notion of whitespace, so a stray byte-order mark is too).
 */
export function scanJson(text: string): JsonScan {
  const from = text.length - text.trimStart().length;
  const to = text.trimEnd().length;
  let i = from;

  const ws = () => {
    while (i < to && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch || i >= to) throw new Stop(i);
    i++;
  };

  const string = (): { start: number; end: number; value: string } => {
    const start = i;
    expect('"');
    let value = '';
    while (i < to) {
      const c = text[i];
      if (c === '"') return { start, end: ++i, value };
      if (c < ' ') throw new Stop(i);
      if (c === '\\') {
        ESCAPE.lastIndex = i + 1;
        const m = ESCAPE.exec(text);
        if (!m || ESCAPE.lastIndex > to) throw new Stop(i);
        value += m[0].length === 1 ? UNESCAPE[m[0]] : String.fromCharCode(Number.parseInt(m[0].slice(1), 16));
        i = ESCAPE.lastIndex;
      } else {
        value += c;
        i++;
      }
    }
    throw new Stop(i);
  };

  const token = (re: RegExp): JsonNode => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m || re.lastIndex > to) throw new Stop(i);
    const start = i;
    i = re.lastIndex;
    return { kind: 'literal', start, end: i };
  };

  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw new Stop(i);
    ws();
    const c = text[i];
    if (i >= to) throw new Stop(i);
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') {
      const s = string();
      return { kind: 'string', start: s.start, end: s.end };
    }
    if (c === '-' || (c >= '0' && c <= '9')) return token(NUMBER);
    return token(LITERAL);
  };

  const object = (depth: number): JsonNode => {
    const start = i++;
    const members: JsonMember[] = [];
    ws();
    if (text[i] === '}' && i < to) return { kind: 'object', start, end: ++i, members };
    for (;;) {
      ws();
      const k = string();
      ws();
      expect(':');
      members.push({ key: k.value, keyStart: k.start, keyEnd: k.end, value: value(depth + 1) });
      ws();
      if (text[i] === '}' && i < to) return { kind: 'object', start, end: ++i, members };
      const comma = i;
      expect(',');
      ws();
      if (text[i] === '}' && i < to) throw new Stop(i, comma);
    }
  };

  const array = (depth: number): JsonNode => {
    const start = i++;
    const items: JsonNode[] = [];
    ws();
    if (text[i] === ']' && i < to) return { kind: 'array', start, end: ++i, items };
    for (;;) {
      items.push(value(depth + 1));
      ws();
      if (text[i] === ']' && i < to) return { kind: 'array', start, end: ++i, items };
      const comma = i;
      expect(',');
      ws();
      if (text[i] === ']' && i < to) throw new Stop(i, comma);
    }
  };

  try {
    const root = value(0);
    ws();
    if (i < to) throw new Stop(i);
    return { ok: true, root };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return e.trailingComma === undefined
      ? { ok: false, at: e.at }
      : { ok: false, at: e.at, trailingComma: e.trailingComma };
  }
}

const UNESCAPE: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The member at `path` (object keys, or array indices as strings), or undefined. */
export function memberAt(root: JsonNode, path: readonly string[]): { member?: JsonMember; node: JsonNode } | undefined {
  let node = root;
  let member: JsonMember | undefined;
  for (const key of path) {
    if (node.kind === 'object') {
      // The last of duplicate keys is the one JSON.parse keeps.
      member = undefined;
      for (const m of node.members) if (m.key === key) member = m;
      if (!member) return undefined;
      node = member.value;
    } else if (node.kind === 'array' && /^\d+$/.test(key) && Number(key) < node.items.length) {
      member = undefined;
      node = node.items[Number(key)];
    } else return undefined;
  }
  return { member, node };
}

/**
 * The text a problem at `path` should underline: the value when it exists (its key with
 * `key`), else the key of the deepest ancestor that exists (a missing field is the parent's to fix).
 */
export function spanAt(root: JsonNode, path: readonly string[], key = false): { start: number; end: number } {
  for (let n = path.length; n > 0; n--) {
    const found = memberAt(root, path.slice(0, n));
    if (!found) continue;
    if (n === path.length && !(key && found.member)) return { start: found.node.start, end: found.node.end };
    return found.member
      ? { start: found.member.keyStart, end: found.member.keyEnd }
      : { start: found.node.start, end: found.node.start + 1 };
  }
  return { start: root.start, end: root.start + 1 };
}
