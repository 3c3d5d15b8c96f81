import { path } from '../api';
import { confirmTyped } from '../confirm';
import { h, fill, table } from '../dom';
import { formatBytes, formatSeconds } from '../format';
import { describeError, PageContext } from '../page';
import type { DeadLetter, DeadLetterSummary } from '../types';

/** A subscription's dead letters with why each failed: redrive the selected ones or all, or purge (admin). */
export function deadLettersPage(context: PageContext): void {
  const { session, main, every, notify } = context;
  const [stream, subscription] = context.params;
  const base = path`/admin/streams/${stream}/subscriptions/${subscription}/dead-letters`;
  const summary = h('p', { class: 'summary' });
  const letters = h('div');
  const selected = new Set<string>();

  const redrive = async (messageIds?: string[]): Promise<void> => {
    try {
      const result = await session.api.post<{ redriven: unknown[]; remaining: number }>(
        `${base}/redrive`,
        messageIds ? { messageIds } : {},
      );
      selected.clear();
      notify(`Redrove ${result.redriven.length} letter(s) to ${stream}; ${result.remaining} remaining.`);
      await refresh();
    } catch (error) {
      notify(describeError(error), 'error');
    }
  };
  const purge = async (): Promise<void> => {
    const expected = `${stream}-${subscription}-DLQ`;
    const typed = await confirmTyped('Purge the dead letters', expected);
    if (typed === undefined) return;
    try {
      await session.api.post(`${base}/purge?confirm=${encodeURIComponent(typed)}`);
      notify('Purged the pending dead letters.');
      await refresh();
    } catch (error) {
      notify(describeError(error), 'error');
    }
  };

  fill(
    main,
    h('h1', {}, 'Dead letters of ', h('span', { class: 'name' }, `${stream} / ${subscription}`)),
    session.isAdmin
      ? h(
          'div',
          { class: 'toolbar' },
          h(
            'button',
            { type: 'button', onclick: () => void redrive([...selected]), id: 'redrive-selected' },
            'Redrive selected',
          ),
          h('button', { type: 'button', onclick: () => void redrive() }, 'Redrive all'),
          h('button', { type: 'button', class: 'danger', onclick: () => void purge() }, 'Purge'),
        )
      : h('p', { class: 'note' }, 'Dead letters are shown to admin keys only.'),
    summary,
    letters,
  );

  const refresh = async (): Promise<void> => {
    if (!session.isAdmin) return;
    const [state, list] = await Promise.all([
      session.api.get<DeadLetterSummary>(base),
      session.api.get<DeadLetter[]>(`${base}/messages?count=100`),
    ]);
    fill(
      summary,
      `${state.pending.messages} pending (oldest ${formatSeconds(state.pending.ageSeconds)}), ` +
        `${state.totalMessages} ever, ${formatBytes(state.storageBytes)} stored.`,
    );
    for (const id of [...selected]) if (!list.some((letter) => letter.messageId === id)) selected.delete(id);
    fill(
      letters,
      table(
        'Pending dead letters with their failure',
        [
          [
            'Select',
            (letter) =>
              h('input', {
                type: 'checkbox',
                'aria-label': `Select letter ${letter.position}`,
                'data-letter': letter.position,
                checked: selected.has(letter.messageId),
                onchange: (event) =>
                  (event.target as HTMLInputElement).checked
                    ? selected.add(letter.messageId)
                    : selected.delete(letter.messageId),
              }),
          ],
          ['Position', (letter) => letter.position],
          ['Key', (letter) => letter.key ?? '-'],
          ['Reason', (letter) => letter.failure.reason ?? '-'],
          ['Code', (letter) => letter.failure.code ?? '-'],
          ['Stage', (letter) => letter.failure.stage ?? '-'],
          ['Attempts', (letter) => letter.failure.attempts ?? '-'],
          ['Payload', (letter) => h('code', {}, JSON.stringify(letter.payload)?.slice(0, 120) ?? '-')],
        ],
        list,
        'No pending dead letter.',
      ),
    );
  };
  every(3000, refresh);
}
