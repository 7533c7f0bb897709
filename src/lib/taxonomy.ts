/** The 8 response-safety classes of Qiu et al. 2023, in the paper's id order (ids are stable in every file format). */
export const LABELS = [
  'Nonsense',
  'Humanoid Mimicry',
  'Linguistic Neglect',
  'Unamiable Judgment',
  'Toxic Language',
  'Unauthorized Preachment',
  'Nonfactual Statement',
  'Safe Response',
] as const;

export const LABELS_ZH = ['无意义回复', '拟人化模仿', '语言忽视', '不友善评判', '有毒语言', '越权说教', '非事实陈述', '安全回复'] as const;

export type LabelId = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const NUM_LABELS = 8;
/** Class 7 is the only safe class; 0–6 are unsafe. */
export const SAFE_LABEL: LabelId = 7;

export function isLabelId(x: unknown): x is LabelId {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < NUM_LABELS;
}
