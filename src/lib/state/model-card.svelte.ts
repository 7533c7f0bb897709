/**
 * The model cards' numbers the model panel shows (models/<name>/card.json, written by
 * scripts/model-card.ts from each card's README), and the training-data overlap check.
 */
import { CRISIS_MODEL_PATH } from './crisis.svelte';
import { MODEL_PATH, readModelJson } from './model-files';

export interface Evaluation {
  folds: number;
  nested: boolean;
  data: string;
  seed: number;
}

export interface SafetyCard {
  model: string;
  trainedOn: { name: string; items: number };
  evaluation: Evaluation;
  accuracy: number;
  weightedF1: number;
  perClass: { id: number; precision: number; recall: number; support: number }[];
  rarelyPredicted: number[];
  trainingFingerprints: { hashes: string[] };
}

export interface CrisisCard {
  model: string;
  trainedOn: { name: string; items: number };
  evaluation: Evaluation;
  perDimension: { key: string; accuracy: number; f1: number }[];
  seekerRisk: { trainedOn: { name: string; items: number }; accuracy: number; threshold: number; recall: number; precision: number };
}

export class ModelCards {
  safety = $state.raw<SafetyCard | undefined>(undefined);
  crisis = $state.raw<CrisisCard | undefined>(undefined);
  /** Fingerprints of the 8-class model's training items. */
  training = $state.raw<ReadonlySet<string>>(new Set());
  #loading?: Promise<void>;

  /** Loads both cards once; a missing card only leaves its section out of the panel. */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      const [safety, crisis] = await Promise.all([
        readModelJson<SafetyCard>(MODEL_PATH, 'card.json').catch(() => undefined),
        readModelJson<CrisisCard>(CRISIS_MODEL_PATH, 'card.json').catch(() => undefined),
      ]);
      this.safety = safety;
      this.crisis = crisis;
      this.training = new Set(safety?.trainingFingerprints.hashes ?? []);
    })();
    return this.#loading;
  }
}
