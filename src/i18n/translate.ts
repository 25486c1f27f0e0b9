import { en, fr, type Catalogue, type MessageKey } from './catalogue.js';

const builtIn: Record<string, Catalogue> = { en, fr };
const overrides = new Map<string, Partial<Catalogue>>();

/** Lets a host page replace any of the widget's strings for a language (`'en'`, `'de-CH'`, …). */
export function registerMessages(lang: string, messages: Partial<Catalogue>): void {
  const key = lang.toLowerCase();
  overrides.set(key, { ...overrides.get(key), ...messages });
}

/** The languages tried for `lang`, most specific first: `de-CH` → `de-ch`, `de`, then English. */
function candidates(lang: string): string[] {
  const tag = lang.trim().toLowerCase();
  const list = tag === '' ? [] : [tag];
  const base = tag.split('-')[0];
  if (base !== undefined && base !== tag && base !== '') list.push(base);
  list.push('en');
  return list;
}

export function translate(lang: string, key: MessageKey, params: Record<string, string | number> = {}): string {
  let template: string = en[key];
  for (const candidate of candidates(lang)) {
    const found = overrides.get(candidate)?.[key] ?? builtIn[candidate]?.[key];
    if (found !== undefined) {
      template = found;
      break;
    }
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
