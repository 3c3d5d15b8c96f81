import { path } from '../api';
import { h, fill, table } from '../dom';
import type { Session } from '../session';
import type { PeekedMessage } from '../types';

const PEEK_COUNT = 10;

/**
 * A live sample of a stream's events, refreshed with the page, nothing consumed: its newest events
 * (`GET .../events/newest`, no subscription needed), or the next unacknowledged ones of one subscription
 * (the admin API's peek) once the operator picks it.
 */
export class StreamPeek {
  readonly element = h('section', { 'aria-labelledby': 'peek-title' });
  private subscription: string | undefined;

  constructor(
    private readonly session: Session,
    private readonly stream: string,
  ) {}

  /** Shows `subscription`'s next events, or the stream's newest with undefined. */
  show(subscription: string | undefined): Promise<void> {
    this.subscription = subscription;
    return this.refresh();
  }

  async refresh(): Promise<void> {
    const subscription = this.subscription;
    const messages = await this.session.api.get<PeekedMessage[]>(
      subscription === undefined
        ? path`/admin/streams/${this.stream}/events/newest?count=${PEEK_COUNT}`
        : path`/admin/streams/${this.stream}/subscriptions/${subscription}/messages?count=${PEEK_COUNT}`,
    );
    const title = subscription === undefined ? 'Newest events' : `Next events of ${subscription}`;
    fill(
      this.element,
      h('h2', { id: 'peek-title' }, title),
      h(
        'p',
        { class: 'note' },
        subscription === undefined
          ? `The ${PEEK_COUNT} newest, newest first; Peek on a subscription shows its next ones.`
          : `Up to ${PEEK_COUNT} unacknowledged events, not consumed. `,
        subscription !== undefined &&
          h('button', { type: 'button', onclick: () => void this.show(undefined) }, 'Show the newest events'),
      ),
      table(
        title,
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
        subscription === undefined
          ? 'No event in the stream yet.'
          : `${subscription} has no unacknowledged event.`,
      ),
    );
  }
}
