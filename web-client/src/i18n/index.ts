// Localisation: the current locale, message lookup and date formatting.
// Catalogues are JSON (zh-CN.json is the reference set of keys; en.json must have
// exactly the same keys, checked below at compile time) so that the e2e tests can read
// the very strings they expect. Placeholders are written {name}.
// zh-CN is the default and is bundled; other catalogues load on demand, so a resident
// who never switches pays nothing for them. The choice is remembered in localStorage.
// What it leaves to others: pages call t() for every visible string; nothing here
// touches the DOM except <html lang>.
import zhCN from './zh-CN.json';
import type en from './en.json';

export type MessageKey = keyof typeof zhCN;
type Catalogue = Record<MessageKey, string>;

// Compile-time catalogue check: `npm run build` fails when en.json lacks a key of
// zh-CN.json or has one that zh-CN.json does not.
type Missing = Exclude<MessageKey, keyof typeof en>;
type Extra = Exclude<keyof typeof en, MessageKey>;
export const catalogueCheck: [Missing, Extra] extends [never, never] ? true : { missing: Missing; extra: Extra } = true;
export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'forumcast.locale';

let current: Locale = 'zh-CN';
let messages: Catalogue = zhCN;

function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

async function load(locale: Locale): Promise<Catalogue> {
  if (locale === 'en') return (await import('./en.json')).default;
  return zhCN;
}

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (isLocale(v)) return v;
  } catch {
    // Storage can be disabled (private mode); fall back to the default.
  }
  return 'zh-CN';
}

/** Loads the remembered locale (or zh-CN). Call once before the first render. */
export async function initI18n(): Promise<void> {
  await setLocale(storedLocale(), false);
}

export async function setLocale(locale: Locale, remember = true): Promise<void> {
  messages = await load(locale);
  current = locale;
  document.documentElement.lang = locale;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered, but the switch still applies to this page view.
    }
  }
}

export function locale(): Locale {
  return current;
}

/** The other locale, for the one-tap language switch. */
export function otherLocale(): Locale {
  return current === 'zh-CN' ? 'en' : 'zh-CN';
}

function fill(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** Looks up a message and fills {placeholders}. Values are plain text. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return fill(messages[key] ?? zhCN[key] ?? key, params);
}

/**
 * An area catalogue (src/i18n/<area>/zh-CN.json + en.json), imported by that area's
 * page modules so that it ships in their chunk, not in the resident page's bundle.
 * Both languages are bundled (staff pages are not size-critical); `en` must have
 * exactly the keys of `zh` (checked at compile time by the `Same` constraint).
 *   import zh from '../i18n/org/zh-CN.json'; import en from '../i18n/org/en.json';
 *   const tr = areaCatalogue(zh, en); tr('org.title')
 */
export function areaCatalogue<Z extends Record<string, string>, E extends Record<keyof Z, string>>(
  zh: Z,
  en: E & Record<Exclude<keyof E, keyof Z>, never>,
): (key: keyof Z & string, params?: Record<string, string | number>) => string {
  return (key, params) => fill((current === 'en' ? en[key] : zh[key]) ?? zh[key] ?? key, params);
}

/** True when `key` names a message (used to map server error codes to messages). */
export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats an instant as a local date and time in the current locale. Accepts an
 * ISO-8601 string, or a number of seconds (< 1e12) or milliseconds since the epoch.
 */
export function formatDateTime(when: string | number): string {
  const d = typeof when === 'number' ? new Date(when < 1e12 ? when * 1000 : when) : new Date(when);
  if (Number.isNaN(d.getTime())) return String(when);
  let f = dateFormats.get(current);
  if (!f) {
    f = new Intl.DateTimeFormat(current, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: '2-digit',
    });
    dateFormats.set(current, f);
  }
  return f.format(d);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Formats an instant (ms since the epoch) as a local time of day: 14:05 / 2:05 PM. */
export function formatTime(ms: number): string {
  let f = timeFormats.get(current);
  if (!f) {
    f = new Intl.DateTimeFormat(current, { hour: 'numeric', minute: '2-digit' });
    timeFormats.set(current, f);
  }
  return f.format(new Date(ms));
}
