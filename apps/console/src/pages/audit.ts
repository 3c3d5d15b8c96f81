import { h, fill, table } from '../dom';
import type { PageContext } from '../page';
import type { AuditEntry } from '../types';

/** Who changed what, newest first, a page at a time (admin keys). */
export function auditPage({ session, main, notify }: PageContext): void {
  if (!session.isAdmin) {
    fill(
      main,
      h('h1', {}, 'Audit log'),
      h('p', { class: 'note' }, 'The audit log is shown to admin keys only.'),
    );
    return;
  }
  const list = h('div');
  const entries: AuditEntry[] = [];
  const older = h('button', { type: 'button' }, 'Older entries');
  let next: string | null = null;
  const load = async (): Promise<void> => {
    const page = await session.api.get<{ entries: AuditEntry[]; next: string | null }>(
      `/admin/audit-log?limit=50${next ? `&before=${encodeURIComponent(next)}` : ''}`,
    );
    entries.push(...page.entries);
    next = page.next;
    older.hidden = next === null;
    fill(
      list,
      table(
        'Audit log entries',
        [
          ['When', (entry) => new Date(entry.at).toLocaleString('en-GB')],
          ['Who (key id)', (entry) => entry.actor],
          ['Action', (entry) => entry.action],
          ['Target', (entry) => entry.target],
        ],
        entries,
        'Nothing changed yet.',
      ),
    );
  };
  older.addEventListener(
    'click',
    () => void load().catch((error: unknown) => notify(String(error), 'error')),
  );
  fill(main, h('h1', {}, 'Audit log'), list, older);
  void load().catch((error: unknown) => notify(String(error), 'error'));
}
