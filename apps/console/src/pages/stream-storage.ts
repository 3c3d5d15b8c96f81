import { path } from '../api';
import { askInDialog } from '../confirm';
import { h, fillKeepingFocus, table } from '../dom';
import { formatBytes } from '../format';
import { describeError, PageContext } from '../page';
import type { OffloadProgress, StorageReport, StreamStoragePolicies } from '../types';

/**
 * A stream's storage (admin keys): bytes and ledgers in BookKeeper against S3, each partition's last
 * offload with a trigger, and the stream's own retention with a way to set it or go back to the namespace's.
 */
export class StreamStorageSection {
  readonly element = h('section', { 'aria-labelledby': 'storage-title' });

  constructor(
    private readonly context: PageContext,
    private readonly stream: string,
  ) {}

  async refresh(): Promise<void> {
    const { api } = this.context.session;
    const [report, offloads, policies] = await Promise.all([
      api.get<StorageReport>(path`/admin/streams/${this.stream}/storage`),
      api.get<OffloadProgress[]>(path`/admin/streams/${this.stream}/storage/offload`),
      api.get<StreamStoragePolicies>(path`/admin/streams/${this.stream}/storage/policies`),
    ]);
    const total = report.bookKeeper.bytes + report.offloaded.bytes || 1;
    fillKeepingFocus(
      this.element,
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
      table(
        'The last offload of each partition',
        [
          ['Partition', (row) => row.partition],
          ['Last offload', (row) => h('span', { 'data-offload': row.partition }, row.status)],
          ['Error', (row) => row.lastError ?? '-'],
        ],
        offloads,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', 'data-focus-key': 'offload-now', onclick: () => void this.offload() },
          'Offload now',
        ),
      ),
      h('h3', {}, 'Retention'),
      h('p', { 'data-retention': '' }, describeRetention(policies.retention)),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            'data-focus-key': 'set-retention',
            onclick: () => void this.setRetention(policies.retention),
          },
          'Set retention',
        ),
        policies.retention &&
          h(
            'button',
            {
              type: 'button',
              'data-focus-key': 'namespace-retention',
              onclick: () => void this.putRetention(null),
            },
            "Use the namespace's",
          ),
      ),
    );
  }

  private async offload(): Promise<void> {
    try {
      await this.context.session.api.post(path`/admin/streams/${this.stream}/storage/offload`);
      this.context.notify(`Offloading the closed ledgers of ${this.stream} to S3.`);
      await this.refresh();
    } catch (error) {
      this.context.notify(describeError(error), 'error');
    }
  }

  private async setRetention(current: StreamStoragePolicies['retention']): Promise<void> {
    const limit = (value: number | undefined) =>
      h('input', { type: 'number', min: -1, step: 1, required: true, value: String(value ?? -1) });
    const values = await askInDialog(
      `Set the retention of ${this.stream}`,
      'Acknowledged events are kept until both limits are passed; -1 keeps them without limit.',
      [
        { name: 'minutes', label: 'Minutes (-1: no limit)', control: limit(current?.minutes) },
        { name: 'sizeMb', label: 'Size in MB (-1: no limit)', control: limit(current?.sizeMb) },
      ],
    );
    if (values) await this.putRetention({ minutes: Number(values.minutes), sizeMb: Number(values.sizeMb) });
  }

  private async putRetention(retention: StreamStoragePolicies['retention']): Promise<void> {
    try {
      await this.context.session.api.put(path`/admin/streams/${this.stream}/storage/policies`, { retention });
      this.context.notify(`Set the retention of ${this.stream}.`);
      await this.refresh();
    } catch (error) {
      this.context.notify(describeError(error), 'error');
    }
  }
}

function describeRetention(retention: StreamStoragePolicies['retention']): string {
  if (!retention) return "The namespace's retention (the stream sets none).";
  const limit = (value: number, unit: string) => (value < 0 ? 'no limit' : `${value} ${unit}`);
  return `Kept for ${limit(retention.minutes, 'minutes')} and up to ${limit(retention.sizeMb, 'MB')}.`;
}
