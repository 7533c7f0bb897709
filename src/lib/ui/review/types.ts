/** Row shapes the review components render (kept out of the .svelte files so state/ and shell/ can build them). */
export interface HistoryRow {
  id: string;
  when: string;
  reviewer: string;
  what: string;
  change: string;
  blind: boolean;
}

export interface AgreementRow {
  key: string;
  a: string;
  b: string;
  n: number;
  accuracy: number | null;
  kappa: number | null;
}
