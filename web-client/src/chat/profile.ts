// The resident's chat profile: display name (1–32 characters), optional compound (小区)
// and building (楼组), and an optional phone number for follow-up (also sent to the
// server with POST /api/v1/device/contact: only organizers and case workers see it). Kept in localStorage per browser and reused for every forum.
// Lengths are counted in characters (code points after NFC), as the server counts them.
// What it leaves to others: the form that edits it (src/chat/profile_form.ts).

export interface Profile {
  name: string;
  compound: string;
  building: string;
  /** Optional; "" when not given. */
  phone?: string;
}

/** An optional + then 5–15 digits, spaces and hyphens between (what the server accepts). */
export function validPhone(s: string): boolean {
  if (!s) return true;
  if (!/^\+?[0-9 -]+$/.test(s) || s.length > 32) return false;
  const digits = s.replace(/[^0-9]/g, '').length;
  return digits >= 5 && digits <= 15;
}

export const NAME_MAX_CHARS = 32;
const KEY = 'forumcast.profile';

/** NFC, control characters removed, outer whitespace trimmed (what the server keeps). */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.normalize('NFC').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').trim();
}

// Characters, not UTF-16 units or bytes: "春晖苑" is 3, an emoji is 1.
export function charCount(s: string): number {
  return [...s.normalize('NFC')].length;
}

export function loadProfile(): Profile | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<Profile>;
    if (typeof p.name !== 'string' || !p.name) return null;
    return { name: p.name, compound: typeof p.compound === 'string' ? p.compound : '', building: typeof p.building === 'string' ? p.building : '', phone: typeof p.phone === 'string' ? p.phone : '' };
  } catch {
    return null;
  }
}

export function saveProfile(p: Profile): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Not remembered (private mode): asked again next time.
  }
}
