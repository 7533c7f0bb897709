/**
 * Values from an imported or restored file, quoted in an error message or a skip reason. A file can put
 * anything there — a megabyte string, an array nested 100,000 deep, an object whose toString is not a
 * function — so this never throws, never recurses and never quotes more than a few dozen characters.
 */
const MAX_QUOTED = 40;

export function quoteValue(value: unknown, max = MAX_QUOTED): string {
  if (typeof value === 'string') {
    // Cut by code points, so a clipped quote never ends in half a surrogate pair.
    const head = Array.from(value.slice(0, 2 * max + 2));
    return JSON.stringify(head.length > max ? `${head.slice(0, max).join('')}…` : value);
  }
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
