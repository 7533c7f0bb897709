/**
 * A printable, self-contained HTML report: inline CSS, no scripts, no external
 * resources (a CSP meta tag forbids loading any), every value HTML-escaped.
 * Sections: provenance, class distribution, agreement with gold labels where
 * present, and the item table sorted by risk.
 */
import { binaryReport, classificationReport, cohenKappa } from '../../metrics/classification.ts';
import { LABELS, LABELS_ZH, NUM_LABELS, SAFE_LABEL } from '../../taxonomy.ts';
import type { ScoredItem } from '../model.ts';
import { EXPORT_FILE_VERSION, EXPORT_SOURCE, markedContext, type ExportMeta, type Provenance } from './rows.ts';

export const HTML_REPORT_TYPE = 'xinan-report';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const labelName = (id: number) => `${LABELS_ZH[id]} ${LABELS[id]}`;

const STYLE = `body{font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f0f0f0}.unsafe{background:#fde8e8}.ctx{color:#555;white-space:pre-wrap;max-width:30em}
.resp{white-space:pre-wrap;max-width:30em}dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}
dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}@media print{tr{break-inside:avoid}}`;

function provenanceSection(p: Provenance, meta: ExportMeta, count: number): string {
  const rows: [string, string][] = [
    ['数据集 Dataset', meta.datasetName],
    ['条目 Items', String(count)],
    ['模型 Model', p.modelId],
    ['模型 SHA-256', p.modelSha256],
    ['应用版本 App version', p.appVersion],
    ['导出时间 Exported', meta.exportedAt],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function distributionSection(scored: ScoredItem[]): string {
  const counts = new Array<number>(NUM_LABELS).fill(0);
  for (const s of scored) counts[s.score!.label]++;
  const rows = counts.map(
    (n, id) => `<tr><td>${escapeHtml(labelName(id))}</td><td>${n}</td><td>${scored.length ? pct(n / scored.length) : '–'}</td></tr>`,
  );
  const unsafe = scored.length - counts[SAFE_LABEL];
  return `<h2>类别分布 Class distribution</h2><p>不安全 Unsafe: ${unsafe} / ${scored.length}</p>
<table><tr><th>类别 Class</th><th>数量 Count</th><th>比例 Share</th></tr>${rows.join('')}</table>`;
}

function agreementSection(withGold: ScoredItem[]): string {
  if (withGold.length === 0) return '';
  const gold = withGold.map((s) => s.item.goldLabel!);
  const pred = withGold.map((s) => s.score!.label);
  const r = classificationReport(gold, pred, NUM_LABELS);
  const b = binaryReport(gold, pred, SAFE_LABEL);
  const kappa = cohenKappa(gold, pred, NUM_LABELS);
  const head = LABELS.map((_, id) => `<th title="${escapeHtml(labelName(id))}">${id}</th>`).join('');
  const matrix = r.confusion.map(
    (row, g) => `<tr><th>${escapeHtml(`${g} ${LABELS_ZH[g]}`)}</th>${row.map((n) => `<td>${n}</td>`).join('')}</tr>`,
  );
  return `<h2>与金标一致性 Agreement with gold labels (n = ${withGold.length})</h2>
<p>准确率 Accuracy ${pct(r.accuracy)} · 加权 F1 Weighted F1 ${pct(r.weighted.f1)} · Cohen's κ ${kappa.toFixed(3)} · 二分类准确率 Binary accuracy ${pct(b.accuracy)}</p>
<table><tr><th>金标 \\ 预测 Gold \\ Pred</th>${head}</tr>${matrix.join('')}</table>`;
}

function reviewCell(r: ScoredItem['review']): string {
  if (!r) return '<td></td>';
  const label = r.label === undefined ? '' : r.label === 'unsure' ? '不确定 unsure' : labelName(r.label);
  const fin = r.final === undefined ? '' : `<br>最终 final: ${escapeHtml(labelName(r.final))}`;
  const note = r.note ? `<br>${escapeHtml(r.note)}` : '';
  const when = new Date(r.at).toISOString();
  return `<td>${escapeHtml(label)}${fin}${note}<br><small>${escapeHtml(r.reviewer)} · ${when}${r.blind ? ' · 盲审 blind' : ''}</small></td>`;
}

function itemRow({ item, score, review }: ScoredItem): string {
  const unsafe = score !== undefined && score.label !== SAFE_LABEL;
  const cells = [
    `<td>${escapeHtml(item.dialogueId)} #${item.turnIndex}</td>`,
    `<td class="ctx">${escapeHtml(markedContext(item.context))}</td>`,
    `<td class="resp">${escapeHtml(item.response)}</td>`,
    `<td>${score ? escapeHtml(labelName(score.label)) : '未评分 not scored'}${score?.truncated ? ' ✂' : ''}</td>`,
    `<td>${score ? pct(score.pUnsafe) : ''}</td>`,
    `<td>${item.goldLabel === undefined ? '' : escapeHtml(labelName(item.goldLabel))}</td>`,
    reviewCell(review),
  ];
  return `<tr${unsafe ? ' class="unsafe"' : ''}>${cells.join('')}</tr>`;
}

/** Highest P(unsafe) first; unscored items last, in their original order. */
function byRisk(a: ScoredItem, b: ScoredItem): number {
  return (b.score?.pUnsafe ?? -1) - (a.score?.pUnsafe ?? -1);
}

export function exportHtmlReport(items: readonly ScoredItem[], provenance: Provenance, meta: ExportMeta): string {
  const scored = items.filter((s) => s.score !== undefined);
  const withGold = scored.filter((s) => s.item.goldLabel !== undefined);
  const title = `心安 xinan 报告 report: ${meta.datasetName}`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="xinan:type" content="${HTML_REPORT_TYPE}"><meta name="xinan:version" content="${EXPORT_FILE_VERSION}">
<meta name="xinan:source" content="${EXPORT_SOURCE}">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
${provenanceSection(provenance, meta, items.length)}
${distributionSection(scored)}
${agreementSection(withGold)}
<h2>条目 Items（按风险排序 sorted by risk）</h2>
<table><tr><th>对话 Dialogue</th><th>上下文 Context</th><th>回复 Response</th><th>预测 Prediction</th><th>P(不安全 unsafe)</th><th>金标 Gold</th><th>审阅 Review</th></tr>
${[...items].sort(byRisk).map(itemRow).join('\n')}
</table>
<p>✂ = 上下文或回复被截断 context or reply was truncated to fit the model.</p>
</body></html>
`;
}
