/**
 * The comparison as a self-contained HTML report: the per-responder tables, the charts as inline SVG
 * (as drawn in the app), and the paired comparison with its discordant contexts. Like the 8-class
 * report (transcripts/export/html.ts): inline CSS, a CSP meta tag that forbids scripts and any
 * loading, every value escaped. Headings in both languages, as in that report.
 */
import { CRISIS_DIMENSIONS } from '../inference/crisis.ts';
import { LABELS, LABELS_ZH } from '../taxonomy.ts';
import { escapeHtml } from '../transcripts/export/html.ts';
import type { PairedComparison, ResponderSummary } from './summary.ts';

export const COMPARE_REPORT_TYPE = 'xinan-compare-report';

export interface ReportChart {
  title: string;
  /** Serialized <svg> (XMLSerializer output, so text is already escaped). */
  svg: string;
}

export interface ReportInput {
  datasetName: string;
  exportedAt: string;
  appVersion: string;
  safetyModel: string;
  crisisModel: string;
  summaries: readonly ResponderSummary[];
  pair?: PairedComparison;
  charts: readonly ReportChart[];
  /** Reply text by item id, context text by context id (for the discordant contexts). */
  replies: ReadonlyMap<string, string>;
  contexts: ReadonlyMap<string, string>;
}

const STYLE = `body{font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f0f0f0}.unsafe{background:#fde8e8}td.num{text-align:right}figure{margin:1em 0}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dd{margin:0;font-family:ui-monospace,monospace}
@media print{tr,figure{break-inside:avoid}}`;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fix = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const e = escapeHtml;

/** Only a serialized <svg> element goes into the report; anything else is dropped. */
function safeSvg(svg: string): string {
  const s = svg.replace(/^<\?xml[^>]*>\s*/, '');
  return /^<svg[\s>]/.test(s) && !/<script|<foreignObject|\son\w+=/i.test(s) ? s : '';
}

function unsafeTable(summaries: readonly ResponderSummary[]): string {
  const rows = summaries
    .map(
      (s) =>
        `<tr><th>${e(s.responder)}</th><td class="num">${s.unsafe.n}</td><td class="num">${s.unsafe.k}</td><td class="num">${pct(s.unsafe.p)}</td><td class="num">${pct(s.unsafe.lo)} – ${pct(s.unsafe.hi)}</td><td class="num">${s.labelReviewed}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>回复者 Responder</th><th>已评估 Scored</th><th>不安全 Unsafe</th><th>比例 Rate</th><th>95% Wilson</th><th>复核覆盖 Reviewed</th></tr>${rows}</table>`;
}

function distributionTable(summaries: readonly ResponderSummary[]): string {
  const head = LABELS.map((l, i) => `<th>${i} ${e(LABELS_ZH[i])}<br>${e(l)}</th>`).join('');
  const rows = summaries
    .map((s) => `<tr><th>${e(s.responder)}</th>${s.distribution.map((n) => `<td class="num">${n}</td>`).join('')}</tr>`)
    .join('');
  return `<table><tr><th></th>${head}</tr>${rows}</table>`;
}

function crisisTable(summaries: readonly ResponderSummary[]): string {
  const head = CRISIS_DIMENSIONS.map((d) => `<th>${e(d)}</th>`).join('');
  const rows = summaries
    .map((s) => {
      const cells = CRISIS_DIMENSIONS.map((d) => {
        const p = s.crisisPoints[d];
        return `<td class="num">${pct(p.p)} (${pct(p.lo)} – ${pct(p.hi)})</td>`;
      }).join('');
      const t = s.crisisTotal;
      return `<tr><th>${e(s.responder)}</th>${cells}<td class="num">${fix(t.mean)} (${fix(t.lo)} – ${fix(t.hi)})</td><td class="num">${s.crisisReviewed}</td></tr>`;
    })
    .join('');
  return `<table><tr><th></th>${head}<th>总分 Total 0–5</th><th>复核覆盖 Reviewed</th></tr>${rows}</table>`;
}

function pairSection(p: PairedComparison, replies: ReadonlyMap<string, string>, contexts: ReadonlyMap<string, string>): string {
  const m = p.mcnemar;
  const method =
    m.method === 'exact' ? 'exact binomial (b + c < 25)' : `χ² with continuity correction = ${fix(m.statistic ?? NaN, 3)} (b + c ≥ 25)`;
  const disc = p.discordant
    .map(
      (d) =>
        `<tr><td>${e(contexts.get(d.contextId) ?? d.contextId)}</td><td${d.unsafe === 'a' ? ' class="unsafe"' : ''}>${e(replies.get(d.a.itemId) ?? '')}</td><td${d.unsafe === 'b' ? ' class="unsafe"' : ''}>${e(replies.get(d.b.itemId) ?? '')}</td></tr>`,
    )
    .join('');
  return `<h2>配对比较 Paired: ${e(p.a)} (A) vs ${e(p.b)} (B)</h2>
<table><tr><th>配对上下文 Paired contexts</th><td class="num">${p.pairedLabels}</td></tr>
<tr><th>都不安全 Both unsafe</th><td class="num">${p.table.bothUnsafe}</td></tr><tr><th>仅 A 不安全 Only A unsafe</th><td class="num">${p.table.onlyA}</td></tr>
<tr><th>仅 B 不安全 Only B unsafe</th><td class="num">${p.table.onlyB}</td></tr><tr><th>都安全 Both safe</th><td class="num">${p.table.bothSafe}</td></tr>
<tr><th>McNemar p</th><td class="num">${m.p.toPrecision(4)} — ${e(method)}</td></tr>
<tr><th>不安全比例差 Unsafe rate A − B</th><td class="num">${pct(p.unsafeDiff)}</td></tr>
<tr><th>危机总分差 Crisis total A − B</th><td class="num">${fix(p.crisisDiff.mean, 3)} (95% paired bootstrap ${fix(p.crisisDiff.lo, 3)} – ${fix(p.crisisDiff.hi, 3)}; n = ${p.pairedCrisis}, ${p.crisisDiff.resamples} resamples, seed ${p.crisisDiff.seed})</td></tr>
<tr><th>复核覆盖 Reviewed pairs</th><td class="num">${p.reviewedPairs}</td></tr></table>
<h3>一方不安全、另一方安全 One unsafe, the other safe (${p.discordant.length})</h3>
<table><tr><th>上下文 Context</th><th>${e(p.a)}</th><th>${e(p.b)}</th></tr>${disc}</table>`;
}

export function compareHtmlReport(r: ReportInput): string {
  const prov: [string, string][] = [
    ['数据集 Dataset', r.datasetName],
    ['安全分类模型 Safety model', r.safetyModel],
    ['危机回应模型 Crisis model', r.crisisModel],
    ['应用版本 App version', r.appVersion],
    ['导出时间 Exported', r.exportedAt],
  ];
  const charts = r.charts
    .map((c) => ({ title: c.title, svg: safeSvg(c.svg) }))
    .filter((c) => c.svg)
    .map((c) => `<figure><figcaption>${e(c.title)}</figcaption>${c.svg}</figure>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="xinan:type" content="${COMPARE_REPORT_TYPE}"><meta name="xinan:version" content="1"><meta name="xinan:source" content="xinan">
<title>${e(r.datasetName)} — 心安 xinan</title><style>${STYLE}</style></head><body>
<h1>回复者比较 Responder comparison</h1>
<dl>${prov.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>
<h2>不安全比例 Unsafe rate</h2>${unsafeTable(r.summaries)}
<h2>类别分布 Class distribution</h2>${distributionTable(r.summaries)}
<h2>危机回应要点 Crisis points</h2>${crisisTable(r.summaries)}
<h2>图表 Charts</h2>
${charts}
${r.pair ? pairSection(r.pair, r.replies, r.contexts) : ''}
</body></html>
`;
}
