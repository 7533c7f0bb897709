/**
 * Where a JSON text stops being valid. V8's JSON.parse names a position for some errors ("at position 12")
 * but not for others ("Unexpected token '来', "来访者：…" is not valid JSON"), and an import error must
 * always say where. This scanner is only run after JSON.parse has failed. It is iterative (an explicit stack),
 * so a file nested 100,000 deep cannot overflow the call stack.
 */
const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** End offset of the string starting at `i` (a '"'), or the negative offset + 1 of the bad character. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length;) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -(j + 1);
    if (c === 0x5c) {
      ESCAPE.lastIndex = j;
      if (!ESCAPE.test(text)) return -(j + 1);
      j = ESCAPE.lastIndex;
    } else j++;
  }
  return -(text.length + 1);
}

/** End offset of the scalar (string, number, true/false/null) at `i`, or the negative offset + 1 of the error. */
function scalarEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return i + word.length;
  NUMBER.lastIndex = i;
  return NUMBER.test(text) ? NUMBER.lastIndex : -(i + 1);
}

/** Offset of the first character at which `text` is no longer valid JSON (`text.length` if it ends early), or -1 if it is valid. */
export function jsonErrorOffset(text: string): number {
  const stack: ('{' | '[')[] = [];
  let state: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after' = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && WS.has(text[i])) i++;
    if (i >= text.length) return state === 'after' && stack.length === 0 ? -1 : text.length;
    const c = text[i];
    if (state === 'after') {
      const top = stack.at(-1);
      if (top === undefined) return i;
      if (c === ',') state = top === '{' ? 'key' : 'value';
      else if (c === (top === '{' ? '}' : ']')) stack.pop();
      else return i;
      i++;
    } else if (state === 'key' || state === 'key-or-close') {
      if (c === '}' && state === 'key-or-close') {
        stack.pop();
        i++;
        state = 'after';
        continue;
      }
      if (c !== '"') return i;
      const end = stringEnd(text, i);
      if (end < 0) return -end - 1;
      i = end;
      while (i < text.length && WS.has(text[i])) i++;
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
    } else {
      if (c === ']' && state === 'value-or-close') {
        stack.pop();
        i++;
        state = 'after';
      } else if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        state = c === '{' ? 'key-or-close' : 'value-or-close';
      } else {
        const end = scalarEnd(text, i);
        if (end < 0) return -end - 1;
        i = end;
        state = 'after';
      }
    }
  }
}
