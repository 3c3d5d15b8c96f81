import { path } from '../api';
import { confirmTyped } from '../confirm';
import { h, fill, fillKeepingFocus, table } from '../dom';
import { describeError, PageContext } from '../page';
import type { ApiKeyView } from '../types';

/** API keys (admin): create (the secret is shown once), rotate, revoke. */
export function keysPage({ session, main, every, notify }: PageContext): void {
  if (!session.isAdmin) {
    fill(
      main,
      h('h1', {}, 'API keys'),
      h('p', { class: 'note' }, 'API keys are managed with admin keys only.'),
    );
    return;
  }
  const list = h('div');
  const secret = h('div', { 'aria-live': 'polite' });
  const name = h('input', { id: 'key-name', required: true, autocomplete: 'off' });
  const role = h(
    'select',
    { id: 'key-role' },
    ...['consumer', 'producer', 'admin'].map((value) => h('option', { value }, value)),
  );
  const showSecret = (issued: { name: string; secret: string }) =>
    fill(
      secret,
      h(
        'p',
        {},
        `The secret of ${issued.name}, shown this once: `,
        h('code', { class: 'secret' }, issued.secret),
      ),
    );
  const form = h(
    'form',
    { class: 'inline-form' },
    h('label', { for: 'key-name' }, 'Name'),
    name,
    h('label', { for: 'key-role' }, 'Role'),
    role,
    h('button', { type: 'submit' }, 'Create key'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    session.api
      .post<{ name: string; secret: string }>('/admin/api-keys', { name: name.value, role: role.value })
      .then(showSecret)
      .catch((error: unknown) => notify(describeError(error), 'error'));
  });
  const rotate = (key: ApiKeyView) =>
    session.api
      .post<{ name: string; secret: string }>(path`/admin/api-keys/${key.id}/rotate`)
      .then(showSecret)
      .catch((error: unknown) => notify(describeError(error), 'error'));
  const revoke = async (key: ApiKeyView) => {
    if ((await confirmTyped(`Revoke ${key.name}`, key.name)) !== key.name) return;
    await session.api
      .delete(path`/admin/api-keys/${key.id}`)
      .then(() => notify(`Revoked ${key.name}.`))
      .catch((error: unknown) => notify(describeError(error), 'error'));
  };
  fill(main, h('h1', {}, 'API keys'), form, secret, list);
  every(5000, async () => {
    const keys = await session.api.get<ApiKeyView[]>('/admin/api-keys');
    fillKeepingFocus(
      list,
      table(
        'API keys',
        [
          ['Name', (key) => key.name],
          ['Id', (key) => h('code', {}, key.id)],
          ['Role', (key) => key.role],
          ['State', (key) => (key.revokedAt ? 'revoked' : 'live')],
          [
            'Actions',
            (key) =>
              !key.revokedAt &&
              h(
                'div',
                { class: 'actions' },
                h(
                  'button',
                  { type: 'button', 'data-focus-key': `rotate:${key.id}`, onclick: () => void rotate(key) },
                  'Rotate',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    'data-focus-key': `revoke:${key.id}`,
                    onclick: () => void revoke(key),
                  },
                  'Revoke',
                ),
              ),
          ],
        ],
        keys,
      ),
    );
  });
}
