// Any path the client does not know: a clear message and the way home.
import { h, replace } from '../dom';
import { t } from '../i18n';
import { setTitle } from '../components/shell';
import type { PageContext } from '../router';

export default function notFound({ root }: PageContext): void {
  setTitle(t('notFound.title'));
  replace(
    root,
    h('div.narrow', null,
      h('h1.page-title', null, t('notFound.title')),
      h('p.lead', null, t('notFound.body')),
      h('a.button.button-primary', { href: '/' }, t('common.backHome'))),
  );
}
