/** The app's state objects, provided once by App.svelte through Svelte context. */
import { getContext, setContext } from 'svelte';
import type { I18n } from '../i18n/i18n.svelte';
import type { CompareImport } from './compare-import.svelte';
import type { CompareResults } from './compare.svelte';
import type { CrisisResults } from './crisis-results.svelte';
import type { Importer } from './importer.svelte';
import type { ModelCards } from './model-card.svelte';
import type { ModelCompare } from './model-compare.svelte';
import type { ModelLibrary } from './models.svelte';
import type { Results } from './results.svelte';
import type { ReviewState } from './review.svelte';
import type { Scorer } from './scorer.svelte';
import type { Vault } from './vault.svelte';
import type { Workspace } from './workspace.svelte';

export interface AppState {
  i18n: I18n;
  workspace: Workspace;
  importer: Importer;
  scorer: Scorer;
  results: Results;
  crisis: CrisisResults;
  compareImport: CompareImport;
  compare: CompareResults;
  cards: ModelCards;
  vault: Vault;
  review: ReviewState;
  models: ModelLibrary;
  modelCompare: ModelCompare;
}

const KEY = Symbol('xinan-app');

export function setApp(state: AppState): AppState {
  return setContext(KEY, state);
}

export function getApp(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) throw new Error('getApp() called outside <App>');
  return state;
}
