// The moderator console's own catalogue (src/i18n/mod/*.json, keys "modx.*"), bundled
// with the console's chunk. Older console strings stay in the shared catalogue (mod.*).
import { areaCatalogue } from '../i18n';
import zh from '../i18n/mod/zh-CN.json';
import en from '../i18n/mod/en.json';

export const tr = areaCatalogue(zh, en);
export type ModKey = keyof typeof zh & string;

export function hasModKey(key: string): key is ModKey {
  return key in zh;
}
