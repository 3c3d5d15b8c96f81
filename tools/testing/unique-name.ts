import { randomBytes } from 'node:crypto';

/** A name no other test (or earlier run) uses: tests never share topics, subscriptions or rows. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
