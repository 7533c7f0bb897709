/**
 * The dataset and tab last open, remembered in localStorage (ids only, no transcript text), so a
 * reload puts the reviewer back where they were. A preference like the language: a missing or
 * stale entry just opens nothing.
 */
import type { ResultsView } from './results.svelte';

const KEY = 'xinan.open';

export interface LastOpen {
  datasetId?: string;
  view?: ResultsView;
}

export function readLastOpen(): LastOpen | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown;
    if (!v || typeof v !== 'object') return undefined;
    const { datasetId, view } = v as Record<string, unknown>;
    return {
      datasetId: typeof datasetId === 'string' ? datasetId : undefined,
      view: view === 'safety' || view === 'crisis' ? view : undefined,
    };
  } catch {
    return undefined;
  }
}

export function saveLastOpen(place: LastOpen): void {
  if (place.datasetId) localStorage.setItem(KEY, JSON.stringify(place));
  else localStorage.removeItem(KEY);
}
