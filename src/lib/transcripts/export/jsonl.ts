/**
 * JSONL export. Line 1 is a header object `{type, version, source, …}` so the
 * file identifies itself; every following line is one ExportRow.
 */
import type { ScoredItem } from '../model.ts';
import { EXPORT_FILE_VERSION, EXPORT_SOURCE, toExportRow, type ExportMeta, type Provenance } from './rows.ts';

export const JSONL_TYPE = 'xinan-results';

export function exportJsonl(items: readonly ScoredItem[], provenance: Provenance, meta: ExportMeta): string {
  const header = {
    type: JSONL_TYPE,
    version: EXPORT_FILE_VERSION,
    source: EXPORT_SOURCE,
    dataset: meta.datasetName,
    exportedAt: meta.exportedAt,
    items: items.length,
    ...provenance,
  };
  const lines = [header, ...items.map((si) => toExportRow(meta.datasetName, si, provenance))];
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
