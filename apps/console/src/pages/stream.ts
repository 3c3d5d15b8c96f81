import { path } from '../api';
import { h, fill, fillKeepingFocus, table } from '../dom';
import { formatBytes, formatRate, formatSeconds } from '../format';
import { describeError, PageContext } from '../page';
import { TimePlot } from '../plot';
import type { StreamSample, StreamView, SubscriptionView } from '../types';
import { StreamPeek } from './stream-peek';
import { StreamSchemaSection } from './stream-schema';
import { StreamStorageSection } from './stream-storage';
import { subscriptionActions } from './subscription-actions';

/**
 * One stream: its rate in and each subscription's backlog over the last minutes, its subscriptions, and
 * for admin keys the actions on subscriptions, the stream's newest events (or a subscription's next), the schema versions with a
 * compatibility check, and the storage tiers with offload and retention.
 */
export function streamPage(context: PageContext): void {
  const { session, main, every, notify } = context;
  const name = context.params[0];
  const summary = h('dl', { class: 'facts' });
  const rate = new TimePlot('Rate in', 'msg/s');
  // Entries as the broker counts them (a batch is one): the plot's cost is one stats call per sample.
  const backlog = new TimePlot('Backlog per subscription', 'entries');
  const subscriptions = h('section', { 'aria-labelledby': 'subscriptions-title' });
  fill(
    main,
    h('h1', {}, 'Stream ', h('span', { class: 'name' }, name)),
    summary,
    h('div', { class: 'plots' }, rate.element, backlog.element),
    subscriptions,
  );

  const peek = new StreamPeek(session, name);
  const schema = new StreamSchemaSection(context, name);
  const storage = new StreamStorageSection(context, name);
  let actionsFor: ((subscription: string) => HTMLElement) | undefined;
  const showPeek = (subscription: string) =>
    void peek.show(subscription).catch((error: unknown) => notify(describeError(error), 'error'));
  if (session.isAdmin) main.append(peek.element, schema.element, storage.element);

  every(2000, async () => {
    const [stream, samples] = await Promise.all([
      session.isAdmin ? session.api.get<StreamView>(path`/admin/streams/${name}`) : undefined,
      session.api.get<StreamSample[]>(path`/v1/streams/${name}/samples`),
    ]);
    if (stream) actionsFor ??= subscriptionActions(context, name, stream.partitions, showPeek);
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
    fillKeepingFocus(
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
          ['Actions', (row) => actionsFor?.(row.subscription)],
        ],
        rows,
        'No subscription yet.',
      ),
    );
    if (!stream) return;
    await Promise.all([peek.refresh(), schema.refresh(stream.schemaVersion), storage.refresh()]);
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
