// Client-side routing with the History API. Each route names a page module that is
// loaded on demand (its own chunk), so a resident opening /f/<id> downloads only the
// shell and the forum page. The server answers every route path with index.html.
// A page is a function that fills `root` and may return a cleanup function (close
// sockets, stop timers) that runs before the next page is shown.
// What it leaves to others: the shell (header/footer) is main.ts's; pages own `root`.

export type Cleanup = () => void;

export interface PageContext {
  root: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  /** True when this render comes from a user navigation (not the first load). */
  navigated: boolean;
}

export type Page = (ctx: PageContext) => void | Cleanup | Promise<void | Cleanup>;
type Loader = () => Promise<{ default: Page }>;

interface Route {
  pattern: RegExp;
  names: string[];
  load: Loader;
}

const routes: Route[] = [];
let root: HTMLElement | null = null;
let cleanup: Cleanup | null = null;
let renderCount = 0;
let shown = ''; // pathname + search of the page on screen
let notFound: Loader | null = null;
const listeners: Array<(path: string) => void> = [];

/** Calls `fn` with the path after each page is shown (the shell marks the current link). */
export function onRoute(fn: (path: string) => void): void {
  listeners.push(fn);
}

/** Registers a route: `/f/:id` style paths; `*` at the end matches any rest. */
export function route(path: string, load: Loader): void {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      if (part === '*') {
        names.push('rest');
        return '(.*)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  routes.push({ pattern: new RegExp(`^${source}/?$`), names, load });
}

export function fallback(load: Loader): void {
  notFound = load;
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render(true);
}

/** Shows the page for the current location again (after a language switch). */
export function refresh(): Promise<void> {
  return render(false);
}

async function render(navigated: boolean): Promise<void> {
  if (!root) return;
  const token = ++renderCount;
  const path = location.pathname;
  shown = path + location.search;
  let load = notFound;
  const params: Record<string, string> = {};
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    r.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    load = r.load;
    break;
  }
  if (!load) return;
  const mod = await load();
  if (token !== renderCount) return; // a newer navigation won
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  while (root.firstChild) root.removeChild(root.firstChild);
  const result = await mod.default({ root, params, query: new URLSearchParams(location.search), navigated });
  if (typeof result === 'function') {
    if (token === renderCount) cleanup = result;
    else result();
  }
  if (token === renderCount) listeners.forEach((fn) => fn(path));
  if (navigated && token === renderCount) {
    // Move focus to the new page's heading so keyboard and screen-reader users follow.
    const heading = root.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
}

function onClick(ev: MouseEvent): void {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download') || a.getAttribute('rel') === 'external') return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/hls/')) return;
  const samePage = url.pathname === location.pathname && url.search === location.search;
  if (samePage && url.hash) return; // in-page anchor (the skip link): the browser's job
  ev.preventDefault();
  if (samePage) return;
  navigate(url.pathname + url.search + url.hash);
}

export function startRouter(outlet: HTMLElement): Promise<void> {
  root = outlet;
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => {
    // A fragment change (the skip link, #anchors) fires popstate too: same page, no render.
    if (location.pathname + location.search !== shown) void render(true);
  });
  return render(false);
}
