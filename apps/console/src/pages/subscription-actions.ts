import { path } from '../api';
import { askInDialog, confirmTyped } from '../confirm';
import { h } from '../dom';
import { describeError, PageContext } from '../page';

/**
 * An admin's actions on one subscription of a stream: reset the cursor to a time or a message, skip
 * messages of a partition, clear the backlog. Each waits for a dialog; clearing asks the name typed, as
 * the API does (its `confirm`).
 */
export function subscriptionActions(
  { session, notify }: PageContext,
  stream: string,
  partitions: number,
  onPeek: (subscription: string) => void,
): (subscription: string) => HTMLElement {
  const base = (subscription: string) => path`/admin/streams/${stream}/subscriptions/${subscription}`;
  const run = async (done: string, call: () => Promise<unknown>): Promise<void> => {
    try {
      await call();
      notify(done);
    } catch (error) {
      notify(describeError(error), 'error');
    }
  };

  const resetCursor = async (subscription: string): Promise<void> => {
    const to = h(
      'select',
      {},
      h('option', { value: 'timestamp' }, 'a time (every partition)'),
      h('option', { value: 'messageId' }, 'a message id (its partition)'),
    );
    const position = h('input', {
      required: true,
      autocomplete: 'off',
      placeholder: '2026-12-07T05:00:00Z, or ledger:entry:partition',
    });
    const values = await askInDialog(
      `Reset the cursor of ${subscription}`,
      'Messages after the position are delivered again; those before it are acknowledged.',
      [
        { name: 'to', label: 'Reset to', control: to },
        { name: 'position', label: 'Time or message id', control: position },
      ],
    );
    if (!values) return;
    const body =
      values.to === 'messageId'
        ? { messageId: values.position }
        : { timestamp: /^\d+$/.test(values.position) ? Number(values.position) : values.position };
    await run(`Reset the cursor of ${subscription}.`, () =>
      session.api.post(`${base(subscription)}/reset-cursor`, body),
    );
  };

  const skip = async (subscription: string): Promise<void> => {
    const count = h('input', { type: 'number', min: 1, step: 1, required: true, value: '1' });
    const partition = h('input', { type: 'number', min: 0, max: partitions - 1, step: 1, required: true });
    const values = await askInDialog(
      `Skip entries of ${subscription}`,
      'The next entries of one partition are acknowledged without being delivered (Pulsar skips entries: a batch is one).',
      [
        { name: 'count', label: 'Entries to skip', control: count },
        ...(partitions > 1 ? [{ name: 'partition', label: 'Partition', control: partition }] : []),
      ],
    );
    if (!values) return;
    await run(`Skipped ${values.count} of ${subscription}.`, () =>
      session.api.post(`${base(subscription)}/skip`, {
        count: Number(values.count),
        ...(values.partition === undefined ? {} : { partition: Number(values.partition) }),
      }),
    );
  };

  const clearBacklog = async (subscription: string): Promise<void> => {
    const typed = await confirmTyped(`Clear the backlog of ${subscription}`, subscription);
    if (typed === undefined) return;
    await run(`Cleared the backlog of ${subscription}.`, () =>
      session.api.post(`${base(subscription)}/clear-backlog?confirm=${encodeURIComponent(typed)}`),
    );
  };

  return (subscription) =>
    h(
      'div',
      { class: 'actions' },
      h(
        'a',
        {
          href: `#/dead-letters/${encodeURIComponent(stream)}/${encodeURIComponent(subscription)}`,
          'data-focus-key': `dead-letters:${subscription}`,
        },
        'Dead letters',
      ),
      h(
        'button',
        { type: 'button', 'data-focus-key': `peek:${subscription}`, onclick: () => onPeek(subscription) },
        'Peek',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-focus-key': `reset-cursor:${subscription}`,
          onclick: () => void resetCursor(subscription),
        },
        'Reset cursor',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-focus-key': `skip:${subscription}`,
          onclick: () => void skip(subscription),
        },
        'Skip',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-focus-key': `clear-backlog:${subscription}`,
          onclick: () => void clearBacklog(subscription),
        },
        'Clear backlog',
      ),
    );
}
