import { path } from '../api';
import { confirmTyped } from '../confirm';
import { h, fill, table } from '../dom';
import { formatBytes, formatRate, formatSeconds } from '../format';
import { describeError, PageContext } from '../page';
import { TimePlot } from '../plot';
import type { StorageReport, StreamSample, StreamView, SubscriptionView } from '../types';

/**
 * One stream: its rate in and each subscription's backlog over the last minutes, its subscriptions, and
 * for admin keys the storage tiers and the actions on subscriptions (behind the API's confirmation).
 */
export function streamPage(context: PageContext): void {
  const { session, main, every, notify } = context;
  const name = context.params[0];
  const summary = h('dl', { class: 'facts' });
  const rate = new TimePlot('Rate in', 'msg/s');
  // Entries as the broker counts them (a batch is one): the plot's cost is one stats call per sample.
  const backlog = new TimePlot('Backlog per subscription', 'entries');
  const subscriptions = h('section', { 'aria-labelledby': 'subscriptions-title' });
  const storage = h('section', { 'aria-labelledby': 'storage-title' });
  fill(
    main,
    h('h1', {}, 'Stream ', h('span', { class: 'name' }, name)),
    summary,
    h('div', { class: 'plots' }, rate.element, backlog.element),
    subscriptions,
    storage,
  );

  const clearBacklog = async (subscription: string): Promise<void> => {
    const typed = await confirmTyped(`Clear the backlog of ${subscription}`, subscription);
    if (typed === undefined) return;
    try {
      await session.api.post(
        path`/admin/streams/${name}/subscriptions/${subscription}/clear-backlog?confirm=${typed}`,
      );
      notify(`Cleared the backlog of ${subscription}.`);
    } catch (error) {
      notify(describeError(error), 'error');
    }
  };

  every(2000, async () => {
    const [stream, samples] = await Promise.all([
      session.isAdmin ? session.api.get<StreamView>(path`/admin/streams/${name}`) : undefined,
      session.api.get<StreamSample[]>(path`/v1/streams/${name}/samples`),
    ]);
    const last = samples.at(-1);
    fill(
      summary,
      ...fact('Rate in', formatRate(last?.rateIn ?? 0)),
      ...fact('Messages in', (last?.messagesIn ?? 0).toLocaleString('en')),
      ...fact('In BookKeeper', formatBytes(last?.storageBytes ?? 0)),
      ...(stream
        ? [...fact('Partitions', String(stream.partitions)), ...fact('Schema', `v${stream.schemaVersion}`)]
        : []),
    );
    const times = samples.map((sample) => sample.at / 1000);
    rate.update({
      times,
      series: [{ label: 'rate in', values: samples.map((sample) => round(sample.rateIn)) }],
    });
    const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.subscriptions)))].sort();
    backlog.update({
      times,
      series: names.map((subscription) => ({
        label: subscription,
        values: samples.map((sample) => sample.subscriptions[subscription]?.backlog ?? 0),
      })),
    });
    const views = session.isAdmin
      ? await session.api.get<SubscriptionView[]>(path`/admin/streams/${name}/subscriptions`)
      : undefined;
    const rows = names.map((subscription) => ({
      subscription,
      now: last?.subscriptions[subscription],
      view: views?.find((view) => view.name === subscription),
    }));
    fill(
      subscriptions,
      h('h2', { id: 'subscriptions-title' }, 'Subscriptions'),
      table(
        'Subscriptions with their backlog and rates',
        [
          ['Subscription', (row) => row.subscription],
          // Admin keys see messages counted one by one (batches opened); other keys the broker's entries.
          [
            'Backlog',
            (row) =>
              h(
                'span',
                { 'data-backlog': row.subscription },
                row.view
                  ? `${row.view.backlog.messages}${row.view.backlog.exact ? '' : '+'}`
                  : entries(row.now?.backlog ?? 0),
              ),
          ],
          ['Oldest', (row) => (row.view ? formatSeconds(row.view.backlog.ageSeconds) : '-')],
          ['Rate out', (row) => formatRate(row.now?.rateOut ?? 0)],
          ['Consumers', (row) => row.view?.consumers ?? '-'],
          [
            'Actions',
            (row) =>
              session.isAdmin &&
              h(
                'div',
                { class: 'actions' },
                h(
                  'a',
                  {
                    href: `#/dead-letters/${encodeURIComponent(name)}/${encodeURIComponent(row.subscription)}`,
                  },
                  'Dead letters',
                ),
                h(
                  'button',
                  { type: 'button', class: 'danger', onclick: () => void clearBacklog(row.subscription) },
                  'Clear backlog',
                ),
              ),
          ],
        ],
        rows,
        'No subscription yet.',
      ),
    );
    if (!session.isAdmin) return;
    const report = await session.api.get<StorageReport>(path`/admin/streams/${name}/storage`);
    const total = report.bookKeeper.bytes + report.offloaded.bytes || 1;
    fill(
      storage,
      h('h2', { id: 'storage-title' }, 'Storage tiers'),
      h(
        'div',
        {
          class: 'tier-bar',
          role: 'img',
          'aria-label': `BookKeeper ${formatBytes(report.bookKeeper.bytes)}, S3 ${formatBytes(report.offloaded.bytes)}`,
        },
        h('meter', {
          class: 'tier-bk',
          min: 0,
          max: total,
          value: report.bookKeeper.bytes,
          title: 'BookKeeper',
        }),
      ),
      h(
        'p',
        {},
        `BookKeeper: ${report.bookKeeper.ledgers} ledgers, ${formatBytes(report.bookKeeper.bytes)}. ` +
          `S3: ${report.offloaded.ledgers} ledgers, ${formatBytes(report.offloaded.bytes)}.`,
      ),
    );
  });
}

function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', { 'data-fact': term }, value)];
}

function entries(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
