/** Turns a parse result into the records storage keeps: one Dataset, its Dialogues and Items. */
import { itemsFromDialogue, type Dataset, type Dialogue, type Item, type ParseResult } from './model.ts';

export interface DatasetRecords {
  dataset: Dataset;
  dialogues: Dialogue[];
  items: Item[];
}

export interface DatasetMeta {
  id: string;
  name: string;
  sourceFile: string;
  /** Epoch ms; passed in so this stays pure and testable. */
  createdAt: number;
}

export function buildDataset(result: ParseResult, meta: DatasetMeta): DatasetRecords {
  const items = result.dialogues.flatMap((d) => itemsFromDialogue(meta.id, d));
  return {
    dataset: {
      ...meta,
      format: result.format,
      dialogueCount: result.dialogues.length,
      itemCount: items.length,
      goldCount: items.filter((i) => i.goldLabel !== undefined).length,
      ...(result.layout ? { layout: result.layout } : {}),
    },
    dialogues: result.dialogues,
    items,
  };
}

/** What the import preview shows before anything is stored. */
export interface ParsePreview {
  dialogues: number;
  items: number;
  /** Items that carry a gold label. */
  goldItems: number;
  skipped: number;
}

export function previewCounts(result: ParseResult): ParsePreview {
  const items = result.dialogues.flatMap((d) => itemsFromDialogue('preview', d));
  return {
    dialogues: result.dialogues.length,
    items: items.length,
    goldItems: items.filter((i) => i.goldLabel !== undefined).length,
    skipped: result.skipped.length,
  };
}
