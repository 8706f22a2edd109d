// Organizer area entry (/org and /org/*): dispatches the rest of the path to the
// organizer pages, each its own lazily loaded chunk (main.ts only mounts this module):
//   /org                  forums list, create a forum          (org/forums.ts)
//   /org/f/<id>           edit forum, state, agenda, panel     (org/forum_edit.ts)
//   /org/f/<id>/stream    RTMP/SRT URLs, stream key, OBS, health (org/stream.ts)
//   /org/f/<id>/poster    printable A4 QR poster               (org/poster.ts)
//   /org/f/<id>/live      live dashboard, exports, figures     (org/live.ts)
//   /org/tickets          tickets board                        (org/tickets.ts)
//   /org/webhooks         webhook endpoints (register, disable) (org/webhooks.ts)
import type { Page, PageContext } from '../router';

type Loader = () => Promise<{ default: Page }>;

function pick(rest: string): { load: Loader; params: Record<string, string> } | null {
  const parts = rest.split('/').filter(Boolean);
  if (parts.length === 0) return { load: () => import('./forums'), params: {} };
  if (parts.length === 1 && parts[0] === 'tickets') return { load: () => import('./tickets'), params: {} };
  if (parts.length === 1 && parts[0] === 'webhooks') return { load: () => import('./webhooks'), params: {} };
  if (parts[0] === 'f' && parts.length >= 2 && parts.length <= 3) {
    const id = decodeURIComponent(parts[1]!);
    const sub = parts[2] ?? '';
    const pages: Record<string, Loader> = {
      '': () => import('./forum_edit'),
      stream: () => import('./stream'),
      poster: () => import('./poster'),
      live: () => import('./live'),
    };
    const load = pages[sub];
    if (load) return { load, params: { id } };
  }
  return null;
}

export default async function orgRouter(ctx: PageContext) {
  const found = pick(ctx.params.rest ?? '');
  const mod = found ? await found.load() : await import('../pages/not_found');
  return mod.default({ ...ctx, params: { ...ctx.params, ...(found?.params ?? {}) } });
}
