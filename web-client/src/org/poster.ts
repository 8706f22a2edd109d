// /org/f/<id>/poster: a printable A4 poster for the forum: title, start time, topic,
// and a QR code of the resident URL (<public base>/f/<id>), drawn by the server
// (GET /api/v1/forums/<id>/qr.svg, libqrencode; crisp SVG at any print size) with the
// URL printed under it. The print styles (styles/org.css, @page A4) leave only the
// poster on paper; the "print" button opens the browser's print dialog.
import { h, replace } from '../dom';
import { errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import { getForum, orgFetch } from './api';
import { forumHeader, orgFrame, section, tr, when } from './common';

export default function posterPage({ root, params }: PageContext) {
  const id = params.id ?? '';
  return orgFrame(root, { title: tr('poster.pageTitle'), section: 'forums', wide: true }, ({ body, alive }) => {
    function load(): void {
      replace(body, loadingState());
      const qrPath = `/api/v1/forums/${encodeURIComponent(id)}/qr.svg`;
      Promise.all([getForum(id), orgFetch('GET', qrPath)]).then(
        ([forum, qrRes]) => {
          if (!alive()) return;
          const url = qrRes.headers.get('x-forumcast-url') ?? `${location.origin}/f/${encodeURIComponent(id)}`;
          const img = h('img.poster-qr', { src: qrPath, alt: tr('poster.qrAlt', { url }), 'data-testid': 'poster-qr', width: 600, height: 600 }) as HTMLImageElement;
          const poster = h(
            'article.poster',
            { 'data-testid': 'poster', 'aria-label': tr('poster.label') },
            h('p.poster-kicker', null, tr('poster.kicker')),
            h('h2.poster-title', { 'data-testid': 'poster-title' }, forum.title),
            h('p.poster-time', { 'data-testid': 'poster-time' }, when(forum.starts_at)),
            forum.topic ? h('p.poster-topic', null, forum.topic) : null,
            h('div.poster-qr-box', null, img),
            h('p.poster-scan', null, tr('poster.scan')),
            h('p.poster-url', { 'data-testid': 'poster-url' }, url),
            h('p.poster-how', null, tr('poster.how')),
          );
          replace(
            body,
            h('div.no-print', null,
              forumHeader(forum, 'poster'),
              section(tr('poster.printTitle'),
                h('p.muted', null, tr('poster.printHelp')),
                h('button.button.button-primary', { type: 'button', 'data-testid': 'poster-print', onclick: () => window.print() }, tr('poster.print')),
              ),
            ),
            h('div.poster-sheet', null, poster),
          );
        },
        (err: unknown) => alive() && replace(body, errorState(err, load)),
      );
    }
    load();
  });
}
