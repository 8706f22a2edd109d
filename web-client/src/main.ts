// Entry point: loads the styles and the remembered language, mounts the shell and
// starts the router. Route table: one lazily loaded module per page. Also: a staff
// session that expires while a staff page is open leads to the login (onUnauthorized).
import './styles/main.css';
import { initI18n } from './i18n';
import { mountShell } from './components/shell';
import { fallback, navigate, refresh, route, startRouter } from './router';
import { onUnauthorized } from './api';

route('/', () => import('./pages/landing'));
route('/login', () => import('./pages/login'));
route('/f/:id', () => import('./pages/forum'));
route('/f/:id/replay', () => import('./video/replay_page'));
route('/org', () => import('./org/router'));
route('/org/*', () => import('./org/router'));
route('/mod', () => import('./pages/staff').then((m) => ({ default: m.mod })));
route('/mod/:id', () => import('./pages/mod'));
route('/present', () => import('./pages/staff').then((m) => ({ default: m.present })));
route('/present/:id', () => import('./pages/present').then((m) => ({ default: m.present })));
route('/overlay/:id', () => import('./pages/present').then((m) => ({ default: m.overlay })));
fallback(() => import('./pages/not_found'));

// A staff request answered 401 (the session expired or was revoked while a staff page
// was open): back to the login with a message, then here again. Never silent.
onUnauthorized(() => {
  const here = location.pathname + location.search;
  if (/^\/(org|mod|present)(\/|$)/.test(location.pathname)) navigate(`/login?next=${encodeURIComponent(here)}&expired=1`, { replace: true });
});

async function boot(): Promise<void> {
  await initI18n();
  const app = document.getElementById('app');
  if (!app) return;
  const shell = mountShell(app, () => void refresh());
  await startRouter(shell.main);
  document.documentElement.dataset.ready = 'true';
}

void boot();
