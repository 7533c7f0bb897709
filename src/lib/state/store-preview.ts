/**
 * The last step of both import flows (one file: importer.svelte.ts; a comparison: compare-import.svelte.ts):
 * store the previewed dataset under a fresh id in one transaction, clear the flow, then refresh the workspace's
 * list. Errors propagate: each flow reports them in its own terms.
 */
import { importDataset, newDatasetId } from '../storage';
import type { DatasetMeta, DatasetRecords } from '../transcripts';
import type { Workspace } from './workspace.svelte';

export async function storePreview(
  workspace: Pick<Workspace, 'db' | 'refresh'>,
  name: string,
  build: (meta: DatasetMeta) => DatasetRecords,
  cleared: () => void,
): Promise<string> {
  const id = newDatasetId();
  await importDataset(await workspace.db(), build({ id, name, sourceFile: name, createdAt: Date.now() }));
  cleared();
  await workspace.refresh();
  return id;
}
