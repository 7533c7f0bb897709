/**
 * The HTML report escapes everything it renders from imported text: for any dialogue id, context, reply and
 * dataset name (HTML, script, attribute and entity payloads included), the report holds only the report's own
 * tags, and each value reads back exactly once unescaped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportHtmlReport } from '../../../src/lib/transcripts/export/html.ts';
import { makeScoredItem, PROVENANCE } from '../../helpers/factories.ts';
import { fuzzParams } from '../../helpers/fuzz.ts';

const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'dl', 'dt', 'dd', 'table', 'tr', 'th', 'td']);
const payload = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '"><svg onload=alert(1)>',
        "' onmouseover='x",
        '</td></tr></table>',
        '&lt;',
        '&amp;',
        '<!--',
        ']]>',
        '<style>',
        '\u2028',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((a) => a.join(''));

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('HTML report escaping', () => {
  it('only the report’s own tags, whatever the imported text', () => {
    fc.assert(
      fc.property(payload, payload, payload, payload, (dialogueId, context, response, datasetName) => {
        const item = makeScoredItem(3, { dialogueId, response, context: [{ speaker: 'seeker', text: context }] });
        const html = exportHtmlReport([item], PROVENANCE, { datasetName, exportedAt: 't' });
        const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
        for (const m of body.matchAll(/<\/?([a-zA-Z][\w-]*)/g)) expect(TAGS.has(m[1].toLowerCase())).toBe(true);
        expect(body).not.toMatch(/<[a-z][^<>]*\son\w+=/i);
        const cell = (cls: string) => unescape(new RegExp(`<td class="${cls}">([\\s\\S]*?)</td>`).exec(body)![1]);
        expect(cell('resp')).toBe(response);
        expect(cell('ctx')).toBe(`[seeker]${context}`);
        expect(unescape(/<h1>([\s\S]*?)<\/h1>/.exec(body)![1])).toBe(`心安 xinan 报告 report: ${datasetName}`);
      }),
      fuzzParams(),
    );
  });
});
