import { ApiError, path } from '../api';
import { confirmAction } from '../confirm';
import { h, fill, fillKeepingFocus, table } from '../dom';
import { describeError, PageContext } from '../page';
import type { ModelRolesView } from '../types';

type Versions = ModelRolesView['versions'];

/**
 * A loop's model versions with their roles (champion, challenger, retired) and every role change; an admin
 * promotes the challenger or rolls back to an earlier version, each after a confirmation (the API decides
 * anyway: `POST /admin/pipelines/{p}/models/{v}:promote|:rollback`).
 */
export class ModelRolesSection {
  readonly element = h('section', { 'aria-labelledby': 'roles-title' });

  constructor(
    private readonly context: PageContext,
    private readonly pipeline: string,
  ) {}

  async refresh(): Promise<void> {
    let view: ModelRolesView;
    try {
      view = await this.context.session.api.get<ModelRolesView>(
        path`/admin/pipelines/${this.pipeline}/models`,
      );
    } catch (error) {
      // The plain API has no loop: the epochs section already says so.
      if (error instanceof ApiError && error.status === 404) return fill(this.element);
      throw error;
    }
    const champion = view.versions.find((version) => version.role === 'champion')?.version;
    fillKeepingFocus(
      this.element,
      h('h2', { id: 'roles-title' }, 'Model versions and their roles'),
      table(
        'Model versions with their role, held-out AUC and the changes an admin can make',
        [
          ['Version', (row) => `v${row.version}`],
          ['Trained in epoch', (row) => row.epoch],
          ['Role', (row) => h('span', { 'data-role-of': row.version }, row.role)],
          ['Held-out AUC', (row) => (row.heldOut.auc === undefined ? '-' : row.heldOut.auc.toFixed(3))],
          ['Trained at', (row) => new Date(row.createdAt).toLocaleString('en')],
          ['Actions', (row) => this.actions(row, champion)],
        ],
        view.versions,
        'No model version trained yet.',
      ),
      h('h3', {}, 'Role changes'),
      table(
        'Every role change, oldest first',
        [
          ['When', (change) => new Date(change.at).toLocaleString('en')],
          ['Version', (change) => `v${change.version}`],
          [
            'Change',
            (change) =>
              h(
                'span',
                { 'data-role-change': `${change.version}:${change.toRole}` },
                `${change.fromRole ?? 'new'} → ${change.toRole}`,
              ),
          ],
          ['Reason', (change) => change.reason],
          ['By', (change) => h('code', {}, change.actor)],
        ],
        view.changes,
        'No role change yet.',
      ),
    );
  }

  /** Promote for the challenger; rollback for a retired version older than the champion; admins only. */
  private actions(row: Versions[number], champion: number | undefined): HTMLElement | false {
    if (!this.context.session.isAdmin) return false;
    if (row.role === 'challenger')
      return this.button(
        `Promote v${row.version}`,
        `promote:${row.version}`,
        `v${row.version} becomes the champion now, whatever the comparison; the champion retires. A rollback undoes it.`,
        `${path`/admin/pipelines/${this.pipeline}/models/${row.version}`}:promote`,
      );
    if (row.role === 'retired' && champion !== undefined && row.version < champion)
      return this.button(
        `Roll back to v${row.version}`,
        `rollback:${row.version}`,
        `v${row.version} serves again; the champion v${champion} retires, a challenger keeps scoring in shadow.`,
        `${path`/admin/pipelines/${this.pipeline}/models/${row.version}`}:rollback`,
      );
    return false;
  }

  private button(action: string, focusKey: string, explanation: string, route: string): HTMLElement {
    const run = async () => {
      if (!(await confirmAction(action, explanation))) return;
      try {
        await this.context.session.api.post(route);
        this.context.notify(`${action}: done.`);
        await this.refresh();
      } catch (error) {
        this.context.notify(describeError(error), 'error');
      }
    };
    return h('button', { type: 'button', 'data-focus-key': focusKey, onclick: () => void run() }, action);
  }
}
