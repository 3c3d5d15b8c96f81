import { h, fill, table } from '../dom';
import type { PageContext } from '../page';
import type { StreamView } from '../types';

/** The streams this key may read. */
export function streamsPage({ session, main, every }: PageContext): void {
  const list = h('div');
  fill(main, h('h1', {}, 'Streams'), list);
  every(3000, async () => {
    const streams = await session.api.get<StreamView[]>('/v1/streams');
    fill(
      list,
      table(
        'Streams',
        [
          [
            'Stream',
            (stream) => h('a', { href: `#/streams/${encodeURIComponent(stream.name)}` }, stream.name),
          ],
          ['Owner', (stream) => stream.ownerTeam],
          ['Partitions', (stream) => stream.partitions],
          ['Schema', (stream) => `v${stream.schemaVersion}`],
          [
            'Retention',
            (stream) =>
              stream.retention
                ? `${stream.retention.minutes} min / ${stream.retention.sizeMb} MB`
                : 'namespace default',
          ],
        ],
        streams,
        'No stream yet.',
      ),
    );
  });
}
