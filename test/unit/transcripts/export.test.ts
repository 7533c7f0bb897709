import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCsv } from '../../../src/lib/transcripts/export/csv.ts';
import { escapeHtml, exportHtmlReport } from '../../../src/lib/transcripts/export/html.ts';
import { exportJsonl } from '../../../src/lib/transcripts/export/jsonl.ts';
import type { ScoredItem } from '../../../src/lib/transcripts/model.ts';
import { makeScoredItem, PROVENANCE } from '../../helpers/factories.ts';

const META = { datasetName: '测试集 <a>', exportedAt: '2026-11-23T10:00:00.000Z' };
const ITEMS: ScoredItem[] = [
  makeScoredItem(7, { id: 'ds/d1/1', goldLabel: 7 }),
  makeScoredItem(3, { id: 'ds/d2/1', dialogueId: 'd2', response: '=HYPERLINK("x")，你太矫情了\n真的', goldLabel: 2 }),
  makeScoredItem(undefined, { id: 'ds/d3/1', dialogueId: 'd3' }),
];

describe('exportCsv', () => {
  const csv = exportCsv(ITEMS, PROVENANCE, META);

  it('starts with a UTF-8 BOM and round-trips through a CSV parser', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(3);
    const [a, b, c] = parsed.data;
    expect(a).toMatchObject({ item_id: 'ds/d1/1', pred_label: '7', pred_label_zh: '安全回复', unsafe: 'false', gold_label: '7' });
    expect(a.context).toBe('[seeker]我最近很焦虑。');
    expect(Number(a.p_7)).toBeCloseTo(0.9, 10);
    expect(b).toMatchObject({ pred_label_name: 'Unamiable Judgment', unsafe: 'true', gold_label_name: 'Linguistic Neglect' });
    expect(c).toMatchObject({ pred_label: '', p_unsafe: '', p_0: '' });
  });

  it('puts provenance on every row', () => {
    const rows = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true }).data;
    for (const r of rows) {
      expect([r.model_id, r.model_sha256, r.app_version]).toEqual([PROVENANCE.modelId, PROVENANCE.modelSha256, PROVENANCE.appVersion]);
    }
  });

  it('keeps multi-line text whole and defuses spreadsheet formulas', () => {
    const rows = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(rows[1].response).toBe(`'=HYPERLINK("x")，你太矫情了\n真的`);
  });
});

describe('exportJsonl', () => {
  const lines = exportJsonl(ITEMS, PROVENANCE, META)
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));

  it('has a {type, version, source} header line then one row per item', () => {
    expect(lines[0]).toMatchObject({ type: 'xinan-results', version: 1, source: 'xinan', items: 3, ...PROVENANCE });
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatchObject({ item_id: 'ds/d2/1', pred_label: 3, gold_label: 2, model_sha256: PROVENANCE.modelSha256 });
    expect(lines[2].probs).toHaveLength(8);
    expect(lines[2].response).toBe('=HYPERLINK("x")，你太矫情了\n真的');
    expect(lines[3]).toMatchObject({ pred_label: null, probs: null, app_version: '0.1.0-test' });
  });
});

describe('exportHtmlReport', () => {
  const items = [
    ...ITEMS,
    makeScoredItem(0, { id: 'x', dialogueId: '<script>alert(1)</script>', response: '<img src=x onerror=alert(1)>' }),
  ];
  const html = exportHtmlReport(items, PROVENANCE, META);

  it('escapes everything that came from data', () => {
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('测试集 &lt;a&gt;');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('loads nothing external and identifies itself', () => {
    expect(html).not.toMatch(/<[^>]*\b(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).toContain('<meta name="xinan:type" content="xinan-report">');
    expect(html).toContain(PROVENANCE.modelSha256);
  });

  it('summarises classes and agreement with gold', () => {
    // Scored: labels 7, 3, 0 → 2 unsafe of 3. Gold on 2 items: (7→7), (2→3) → accuracy 50%.
    expect(html).toContain('不安全 Unsafe: 2 / 3');
    expect(html).toContain('(n = 2)');
    expect(html).toContain('准确率 Accuracy 50.0%');
  });

  it('sorts by risk with unscored items last', () => {
    const order = ['d2', 'alert(1)&lt;/script&gt;', 'd1 #1', 'd3 #1'].map((s) => html.indexOf(s));
    expect(order[0]).toBeGreaterThan(0);
    // d2 (3, pUnsafe ~1) and the label-0 item both have pUnsafe 1 − 0.1/7; d1 (safe) after them; d3 unscored last.
    expect(order[2]).toBeGreaterThan(order[0]);
    expect(order[3]).toBeGreaterThan(order[2]);
  });
});

describe('review columns in every export', () => {
  const at = Date.UTC(2026, 10, 30, 1, 2, 3);
  const reviewed: ScoredItem[] = [
    { ...ITEMS[0], review: { label: 3, note: '评判, "引号"', reviewer: '王', at, blind: true, final: 5 } },
    { ...ITEMS[1], review: { label: 'unsure', reviewer: 'B', at } },
    ITEMS[2],
  ];

  it('CSV and JSONL carry reviewer label, note, reviewer, time, blind flag and final label beside the model output', () => {
    const rows = Papa.parse<Record<string, string>>(exportCsv(reviewed, PROVENANCE, META).slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows[0]).toMatchObject({
      pred_label: '7',
      review_label: '3',
      review_label_name: 'Unamiable Judgment',
      review_unsure: 'false',
      review_note: '评判, "引号"',
      reviewer: '王',
      reviewed_at: '2026-11-30T01:02:03.000Z',
      review_blind: 'true',
      final_label: '5',
    });
    expect(rows[1]).toMatchObject({ review_label: '', review_unsure: 'true', reviewer: 'B', review_blind: '' });
    expect(rows[2]).toMatchObject({ review_label: '', reviewer: '', reviewed_at: '' });
    const lines = exportJsonl(reviewed, PROVENANCE, META)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[1]).toMatchObject({ review_label: 3, review_blind: true, reviewer: '王', final_label: 5 });
    expect(lines[3]).toMatchObject({ review_label: null, review_unsure: null, final_label: null });
  });

  it('HTML shows the review beside the prediction, escaped', () => {
    const html = exportHtmlReport(reviewed, PROVENANCE, META);
    expect(html).toContain('<th>审阅 Review</th>');
    expect(html).toContain('评判, &quot;引号&quot;');
    expect(html).toContain('王 · 2026-11-30T01:02:03.000Z · 盲审 blind');
    expect(html).toContain('不确定 unsure');
  });
});
