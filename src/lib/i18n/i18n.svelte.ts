/** The UI language, Chinese by default, remembered in localStorage (a preference, not transcript data). */
import { LABELS, LABELS_ZH } from '../taxonomy';
import { EN, ZH, type MessageKey } from './messages';
import { formatMsg, type Msg } from './msg';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'xinan.lang';

export type Params = Record<string, string | number>;

export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export class I18n {
  lang = $state<Lang>('zh');

  constructor() {
    const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') this.lang = saved;
  }

  /** Arrow function so components can pass `t` around unbound. */
  t = (key: MessageKey, params?: Params): string => format((this.lang === 'en' ? EN : ZH)[key], params);

  /** A message from a pure layer (parser, storage), in the current language. */
  m = (message: Msg): string => formatMsg(message, this.lang === 'en' ? EN : ZH);

  /** Class name of a label id in the current language. */
  label = (id: number): string => (this.lang === 'en' ? LABELS[id] : LABELS_ZH[id]) ?? String(id);

  toggle(): void {
    this.lang = this.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem(STORAGE_KEY, this.lang);
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
  }
}

export type { MessageKey };
