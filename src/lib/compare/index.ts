/** Comparing responders on the same contexts: import, statistics, summaries. Pure (no Svelte, no storage). */
export * from './stats.ts';
export * from './summary.ts';
export * from './errors.ts';
export * from './model.ts';
export { buildCompareDataset, compareDialogueId } from './dataset.ts';
export { parseCompareFile, parseResponderFiles, matchResponderFiles, type MatchBy } from './import.ts';
export { responderName, matchKey, type ResponderFile } from './match.ts';
export { COMPARE_ALIASES, parseReplyColumns, parseResponderTable, parseResponderRecords } from './single.ts';
export { longTable, longCsv, longXlsx, LONG_COLUMNS, type LongRow, type LongProvenance } from './export.ts';
export { compareHtmlReport, COMPARE_REPORT_TYPE, type ReportChart, type ReportInput } from './report.ts';
export { compareModels, type ModelPairResult, type Accuracy } from './models.ts';
