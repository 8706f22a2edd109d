// Replay page (/f/<id>/replay): the forum's recording with seeking (the recording
// playlist, a VOD playlist once the forum has ended) and a link to download it as
// one MP4 file. The player is src/video/player.ts; the files come from the server.
import { h, replace } from '../dom';
import { t } from '../i18n';
import { getForum } from '../api';
import { setTitle } from '../components/shell';
import { errorMessage, errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import { mountPlayer } from './player';

export default function replayPage({ root, params }: PageContext): () => void {
  const id = params.id ?? '';
  let alive = true;
  let stop: (() => void) | null = null;
  const load = (): void => {
    replace(root, loadingState());
    getForum(id).then(
      (forum) => {
        if (!alive) return;
        setTitle(`${t('video.replay')} · ${forum.title}`);
        const slot = h('section.video-slot', { 'data-slot': 'video', 'aria-label': t('video.replay'), 'data-testid': 'video-slot' });
        replace(root, slot, h('div.page-intro', null, h('h1.page-title', null, forum.title),
          h('p', null, h('a', { href: `/f/${encodeURIComponent(forum.id)}` }, forum.title))));
        stop = mountPlayer(slot, forum, 'replay');
      },
      (err: unknown) => {
        if (alive) replace(root, errorState(err, load, t('error.title'), errorMessage(err)));
      },
    );
  };
  load();
  return () => {
    alive = false;
    stop?.();
  };
}
