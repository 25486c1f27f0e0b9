import { en, type Catalogue, type MessageKey } from './catalogue.js';

const builtIn: Record<string, Catalogue> = { en };

/**
 * What an element needs of a catalogue: all of it, or only the card's strings (a chat page with
 * cards and no call should not fetch the call's).
 */
export type CataloguePart = 'all' | 'card';

/**
 * The widget's other languages, fetched the first time an element speaks one: a page in English
 * never downloads them. Dynamic imports, so the CDN build and an app's bundler split each off.
 */
const onDemand: Record<string, Record<CataloguePart, () => Promise<Partial<Catalogue>>>> = {
  fr: {
    all: () => import('./fr.js').then((module) => module.fr),
    card: () => import('./fr-card.js').then((module) => module.frCard),
  },
};
/** Strings of a language fetched by parts before its whole catalogue, merged; and which parts (`lang/part`). */
const partial = new Map<string, Partial<Catalogue>>();
const partsFetched = new Set<string>();
const loading = new Map<string, Promise<void>>();
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

/**
 * The fetch of the built-in strings that `lang` would use (all of them, or one `part`) and that are
 * not here yet, started if need be; undefined when everything `lang` needs is here (English, a
 * language the widget does not ship, or one already fetched). It never rejects: a failed fetch
 * leaves English, and the next call tries again.
 */
export function pendingMessages(lang: string, part: CataloguePart = 'all'): Promise<void> | undefined {
  for (const candidate of candidates(lang)) {
    const load = onDemand[candidate]?.[part];
    if (builtIn[candidate] !== undefined || load === undefined) continue;
    const key = `${candidate}/${part}`;
    if (partsFetched.has(key)) continue;
    let pending = loading.get(key);
    if (pending === undefined) {
      pending = load().then(
        (catalogue) => {
          if (part === 'all') {
            builtIn[candidate] = catalogue as Catalogue;
          } else {
            partial.set(candidate, { ...partial.get(candidate), ...catalogue });
            partsFetched.add(key);
          }
          loading.delete(key);
        },
        () => {
          loading.delete(key);
        },
      );
      loading.set(key, pending);
    }
    return pending;
  }
  return undefined;
}

/** Makes a built-in catalogue present at once (the npm entry does so for French: nothing to wait for there). */
export function provideCatalogue(lang: string, catalogue: Catalogue): void {
  builtIn[lang] = catalogue;
}

/**
 * Resolves once the built-in strings for `lang` are here. Elements wait for them by themselves
 * before they render; call it before `translate()` from outside an element in a language other than English.
 */
export async function loadMessages(lang: string, part: CataloguePart = 'all'): Promise<void> {
  await pendingMessages(lang, part);
}

export function translate(lang: string, key: MessageKey, params: Record<string, string | number> = {}): string {
  let template: string = en[key];
  for (const candidate of candidates(lang)) {
    const found = overrides.get(candidate)?.[key] ?? builtIn[candidate]?.[key] ?? partial.get(candidate)?.[key];
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
