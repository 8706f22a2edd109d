// The "who are you" form of the resident page: display name (required, 1–32
// characters), compound (小区) and building (楼组), both optional, and an optional phone
// number for follow-up with a line saying who sees it. Shown on the first visit and
// from the "edit" button; validates in characters before anything is sent.
// What it leaves to others: storage (src/chat/profile.ts), joining (the page).
import { h, replace } from '../dom';
import { t } from '../i18n';
import { NAME_MAX_CHARS, charCount, cleanText, validPhone, type Profile } from './profile';

export function profileForm(initial: Profile | null, onSave: (p: Profile) => void, onCancel?: () => void): HTMLElement {
  const message = h('div.form-message', { 'aria-live': 'assertive', 'data-testid': 'profile-message' });
  const field = (id: string, label: string, value: string, extra: Record<string, string | boolean> = {}) => {
    const input = h('input.input', {
      id,
      name: id,
      type: 'text',
      value,
      maxlength: String(NAME_MAX_CHARS * 2), // a soft cap; the real check counts characters
      ...extra,
    }) as HTMLInputElement;
    return { input, el: h('div.field', null, h('label.label', { for: id }, label), input) };
  };
  const name = field('chat-name', t('chat.name'), initial?.name ?? '', {
    autocomplete: 'nickname',
    required: true,
    'aria-describedby': 'chat-name-hint',
  });
  const compound = field('chat-compound', t('chat.compound'), initial?.compound ?? '', { autocomplete: 'off' });
  const building = field('chat-building', t('chat.building'), initial?.building ?? '', { autocomplete: 'off' });
  name.el.appendChild(h('p.field-hint', { id: 'chat-name-hint' }, t('chat.nameHint', { max: NAME_MAX_CHARS })));
  const phone = field('chat-phone', t('chat.phone'), initial?.phone ?? '', {
    type: 'tel', inputmode: 'tel', autocomplete: 'tel', 'aria-describedby': 'chat-phone-hint', 'data-testid': 'profile-phone',
  });
  phone.input.maxLength = 32;
  phone.el.appendChild(h('p.field-hint', { id: 'chat-phone-hint', 'data-testid': 'phone-privacy' }, t('chat.phoneHint')));

  const fail = (text: string, input: HTMLInputElement) => {
    replace(message, h('p.notice.notice-error', { role: 'alert' }, text));
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };

  const form = h(
    'form.form.card.profile-form',
    {
      novalidate: true,
      'data-testid': 'profile-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        for (const f of [name, compound, building, phone]) f.input.removeAttribute('aria-invalid');
        const p: Profile = {
          name: cleanText(name.input.value),
          compound: cleanText(compound.input.value),
          building: cleanText(building.input.value),
          phone: cleanText(phone.input.value),
        };
        if (!p.name) return fail(t('chat.nameMissing'), name.input);
        if (charCount(p.name) > NAME_MAX_CHARS) return fail(t('chat.nameTooLong', { max: NAME_MAX_CHARS }), name.input);
        if (charCount(p.compound) > NAME_MAX_CHARS) return fail(t('chat.placeTooLong', { max: NAME_MAX_CHARS }), compound.input);
        if (charCount(p.building) > NAME_MAX_CHARS) return fail(t('chat.placeTooLong', { max: NAME_MAX_CHARS }), building.input);
        if (!validPhone(p.phone ?? '')) return fail(t('chat.phoneInvalid'), phone.input);
        replace(message);
        onSave(p);
      },
    },
    h('h2.section-title', { id: 'profile-title' }, t(initial ? 'chat.editTitle' : 'chat.profileTitle')),
    h('p.muted.form-intro', null, t('chat.profileIntro')),
    name.el,
    compound.el,
    building.el,
    phone.el,
    message,
    h(
      'div.form-actions',
      null,
      h('button.button.button-primary', { type: 'submit', 'data-testid': 'profile-save' }, t(initial ? 'chat.saveEdit' : 'chat.saveProfile')),
      onCancel ? h('button.button.button-secondary', { type: 'button', onclick: onCancel }, t('chat.cancelEdit')) : null,
    ),
  );
  form.setAttribute('aria-labelledby', 'profile-title');
  return form;
}
