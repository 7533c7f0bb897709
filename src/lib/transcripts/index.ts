/** Public API of the transcripts layer: import (parse) and export, all pure. */
export * from './model';
export * from './errors';
export { decodeText, type DecodedText, type TextEncodingName } from './decode';
export { detectBinary, detectTextFormat } from './detect';
export { assertImportSize, MAX_IMPORT_BYTES, parseFile, parseTextInput, type ImportOptions, type ImportResult } from './import';
export { buildDataset, type DatasetMeta, type DatasetRecords } from './dataset';
export { HEADER_ALIASES, matchHeaders, type ColumnMapping, type ColumnRef } from './parse/table';
export { csvRows } from './parse/csv';
export { xlsxRows } from './parse/xlsx';
export { exportCsv, CSV_COLUMNS } from './export/csv';
export { exportJsonl, JSONL_TYPE } from './export/jsonl';
export { exportHtmlReport, escapeHtml, HTML_REPORT_TYPE } from './export/html';
export { toExportRow, type ExportMeta, type ExportRow, type Provenance } from './export/rows';
