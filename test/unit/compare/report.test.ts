import { describe, expect, it } from 'vitest';
import { compareHtmlReport, comparePair, observe, summarize, COMPARE_REPORT_TYPE } from '../../../src/lib/compare';

describe('comparison HTML report', () => {
  const obs = [
    observe({ contextId: 'c1', responder: '<b>甲</b>', itemId: 'i1', modelLabel: 3, modelCrisis: [1, 0, 0, 0, 0] }),
    observe({ contextId: 'c1', responder: '乙', itemId: 'i2', modelLabel: 7, modelCrisis: [1, 1, 0, 0, 0] }),
  ];
  const input = {
    datasetName: 'cmp.csv',
    exportedAt: '2026-12-01T00:00:00Z',
    appVersion: '0.1.0',
    safetyModel: 's@1',
    crisisModel: 'c@2',
    summaries: ['<b>甲</b>', '乙'].map((r) => summarize(r, obs)),
    pair: comparePair('<b>甲</b>', '乙', obs),
    replies: new Map([
      ['i1', '你<script>alert(1)</script>'],
      ['i2', '我在'],
    ]),
    contexts: new Map([['c1', '[seeker]我睡不着']]),
  };

  it('is self-contained, escapes every value, and carries the tables, charts and discordant contexts', () => {
    const html = compareHtmlReport({
      ...input,
      charts: [
        {
          title: 'Unsafe',
          svg: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"><title>甲: 1.0000</title></circle></svg>',
        },
      ],
    });
    expect(html).toContain(`<meta name="xinan:type" content="${COMPARE_REPORT_TYPE}">`);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>甲</b>');
    expect(html).toContain('&lt;b&gt;甲&lt;/b&gt;');
    expect(html).toContain('<figure><figcaption>Unsafe</figcaption><svg xmlns');
    expect(html).toContain('仅 A 不安全 Only A unsafe</th><td class="num">1</td>');
    expect(html).toContain('exact binomial');
    expect(html).toContain('[seeker]我睡不着');
  });

  it('drops anything that is not a plain SVG', () => {
    const html = compareHtmlReport({
      ...input,
      charts: [
        { title: 'x', svg: '<svg onload="alert(1)"></svg>' },
        { title: 'y', svg: '<div>no</div>' },
      ],
    });
    expect(html).not.toContain('onload');
    expect(html).not.toContain('<div>no</div>');
  });
});
