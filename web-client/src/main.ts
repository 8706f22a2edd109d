// Entry point: loads the styles and the remembered language, mounts the shell and
// starts the router. Route table: one lazily loaded module per page.
import './styles/main.css';
import { initI18n } from './i18n';
import { mountShell } from './components/shell';
import { fallback, refresh, route, startRouter } from './router';

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

async function boot(): Promise<void> {
  await initI18n();
  const app = document.getElementById('app');
  if (!app) return;
  const shell = mountShell(app, () => void refresh());
  await startRouter(shell.main);
  document.documentElement.dataset.ready = 'true';
}

void boot();
