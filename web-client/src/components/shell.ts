// The page shell around every route: skip link, header (brand, language switch),
// the <main> outlet the router fills, and a footer with the staff login link.
// What it leaves to others: page content (router + pages), message text (i18n).
import { h, replace } from '../dom';
import { otherLocale, setLocale, t } from '../i18n';
import { onRoute } from '../router';

export interface Shell {
  main: HTMLElement;
  /** Re-renders the shell's own text after a language switch. */
  relabel(): void;
}

export function mountShell(app: HTMLElement, onLocaleChange: () => void): Shell {
  const skip = h('a.skip-link', { href: '#main' });
  const brand = h('a.brand', { href: '/' });
  const langButton = h('button.lang-switch', {
    type: 'button',
    'data-testid': 'lang-switch',
    onclick: () => {
      void setLocale(otherLocale()).then(() => {
        relabel();
        onLocaleChange();
      });
    },
  });
  const staffLink = h('a.footer-link', { href: '/login', 'data-testid': 'staff-login-link' });
  const homeLink = h('a.footer-link', { href: '/', hidden: true });
  const main = h('main.page', { id: 'main', tabindex: '-1' });

  function relabel(): void {
    replace(skip, t('nav.skip'));
    replace(brand, h('span.brand-name', null, t('app.brand')), h('span.brand-tagline', null, t('app.tagline')));
    brand.setAttribute('aria-label', `${t('app.brand')}, ${t('nav.home')}`);
    const target = otherLocale();
    replace(langButton, t('lang.switch'));
    langButton.setAttribute('lang', target);
    replace(staffLink, t('nav.staffLogin'));
    replace(homeLink, t('common.backHome'));
  }

  replace(
    app,
    skip,
    h('header.site-header', null, h('div.site-header-inner', null, brand, langButton)),
    main,
    h('footer.site-footer', null, h('div.site-footer-inner', null, staffLink, homeLink)),
  );
  relabel();
  // On the login page and the staff pages the footer offers the way home instead.
  onRoute((path) => {
    const staffArea = /^\/(login|org|mod|present)(\/|$)/.test(path);
    staffLink.hidden = staffArea;
    homeLink.hidden = !staffArea;
  });
  return { main, relabel };
}

/** Sets the document title to "<page> · forumcast". */
export function setTitle(page: string): void {
  document.title = page ? `${page} · ${t('app.brand')}` : t('app.brand');
}
