/** Public API of the transcripts layer: import (parse) and export, all pure. */
export * from './model.ts';
export * from './errors.ts';
export { decodeText, type DecodedText, type TextEncodingName } from './decode.ts';
export { detectBinary, detectTextFormat } from './detect.ts';
export {
  assertImportSize,
  MAX_IMPORT_BYTES,
  parseFile,
  parseTextInput,
  previewTable,
  type ImportOptions,
  type ImportResult,
} from './import.ts';
export { buildDataset, previewCounts, type DatasetMeta, type DatasetRecords, type ParsePreview } from './dataset.ts';
export {
  HEADER_ALIASES,
  isPairMapping,
  matchHeaders,
  type ColumnMapping,
  type ColumnRef,
  type PairMapping,
  type TableMapping,
} from './parse/table.ts';
export { csvRows } from './parse/csv.ts';
export { exportCsv, exportTable, CSV_COLUMNS } from './export/csv.ts';
export { exportXlsx, XLSX_SHEET } from './export/xlsx.ts';
export { exportJsonl, JSONL_TYPE } from './export/jsonl.ts';
export { exportHtmlReport, escapeHtml, HTML_REPORT_TYPE } from './export/html.ts';
export { toExportRow, type ExportMeta, type ExportRow, type Provenance } from './export/rows.ts';
export { countOverlap, fingerprint, fingerprintKey } from './fingerprint.ts';
