import { path } from '../api';
import { h, fill, table } from '../dom';
import type { Session } from '../session';
import type { PeekedMessage } from '../types';

const PEEK_COUNT = 10;

/**
 * A live sample of a stream's events: the next unacknowledged messages of one subscription, read with the
 * admin API's peek (nothing is consumed), refreshed with the page.
 */
export class StreamPeek {
  readonly element = h('section', { 'aria-labelledby': 'peek-title', hidden: true });
  private subscription: string | undefined;

  constructor(
    private readonly session: Session,
    private readonly stream: string,
  ) {}

  show(subscription: string): Promise<void> {
    this.subscription = subscription;
    this.element.hidden = false;
    return this.refresh();
  }

  async refresh(): Promise<void> {
    const subscription = this.subscription;
    if (subscription === undefined) return;
    const messages = await this.session.api.get<PeekedMessage[]>(
      path`/admin/streams/${this.stream}/subscriptions/${subscription}/messages?count=${PEEK_COUNT}`,
    );
    fill(
      this.element,
      h('h2', { id: 'peek-title' }, `Next events of ${subscription}`),
      h('p', { class: 'note' }, `Up to ${PEEK_COUNT} unacknowledged events per look, not consumed.`),
      table(
        `The next unacknowledged events of ${subscription}`,
        [
          ['Position', (message) => h('code', {}, message.position)],
          ['Key', (message) => message.key ?? '-'],
          ['Published', (message) => message.publishTime ?? '-'],
          [
            'Payload',
            (message) =>
              h(
                'code',
                { 'data-peeked': message.position },
                message.payload === null
                  ? `(${message.payloadBase64?.length ?? 0} base64 chars, not JSON)`
                  : JSON.stringify(message.payload),
              ),
          ],
        ],
        messages,
        `${subscription} has no unacknowledged event.`,
      ),
    );
  }
}
