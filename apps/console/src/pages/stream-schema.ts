import { path } from '../api';
import { h, fill, table, Child } from '../dom';
import { describeError, PageContext } from '../page';
import type { SchemaCompatibility, SchemaVersionView } from '../types';

/**
 * A stream's schema versions (admin keys) and a check of a proposed schema against the current one, by the
 * rule a schema change is held to; the check changes nothing.
 */
export class StreamSchemaSection {
  readonly element = h('section', { 'aria-labelledby': 'schema-title' });
  private readonly versions = h('div');
  private readonly proposal = h('textarea', { id: 'schema-proposal', rows: 8, spellcheck: 'false' });
  private readonly verdict = h('div', { 'aria-live': 'polite' });
  private seen = 0;

  constructor(
    private readonly context: PageContext,
    private readonly stream: string,
  ) {
    const form = h(
      'form',
      { class: 'schema-check', 'aria-labelledby': 'schema-check-title' },
      h('h3', { id: 'schema-check-title' }, 'Check a proposed schema'),
      h('label', { for: 'schema-proposal' }, 'Proposed JSON Schema'),
      this.proposal,
      h('button', { type: 'submit' }, 'Check compatibility'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.check();
    });
    fill(this.element, h('h2', { id: 'schema-title' }, 'Schema versions'), this.versions, form, this.verdict);
  }

  /** Reads the versions again only when the stream's current version changed. */
  async refresh(currentVersion: number): Promise<void> {
    if (currentVersion === this.seen) return;
    const versions = await this.context.session.api.get<SchemaVersionView[]>(
      path`/admin/streams/${this.stream}/schema/versions`,
    );
    this.seen = currentVersion;
    // Prefilled with the current schema, the usual starting point of a change.
    if (this.proposal.value === '' && versions[0])
      this.proposal.value = JSON.stringify(versions[0].schema, null, 2);
    fill(
      this.versions,
      table(
        'Schema versions, newest first',
        [
          ['Version', (row) => h('span', { 'data-schema-version': row.version }, `v${row.version}`)],
          ['Added', (row) => row.createdAt],
          ['By key', (row) => h('code', {}, row.createdBy)],
          [
            'Schema',
            (row) =>
              h('details', {}, h('summary', {}, 'show'), h('pre', {}, JSON.stringify(row.schema, null, 2))),
          ],
        ],
        versions,
      ),
    );
  }

  private async check(): Promise<void> {
    let schema: unknown;
    try {
      schema = JSON.parse(this.proposal.value);
    } catch (error) {
      return fill(
        this.verdict,
        h('p', { role: 'alert', class: 'error' }, `Not JSON: ${(error as Error).message}`),
      );
    }
    try {
      const result = await this.context.session.api.post<SchemaCompatibility>(
        path`/admin/streams/${this.stream}/schema/compatibility`,
        { schema },
      );
      fill(this.verdict, ...verdictOf(result));
    } catch (error) {
      fill(this.verdict, h('p', { role: 'alert', class: 'error' }, describeError(error)));
    }
  }
}

function verdictOf(result: SchemaCompatibility): Child[] {
  const headline = result.unchanged
    ? `The same schema as v${result.against}: a change would add no version.`
    : result.compatible
      ? `Backward compatible with v${result.against}: it can be added as v${result.against + 1}.`
      : `Not backward compatible with v${result.against}: a change would be refused (409).`;
  return [
    h('p', { 'data-compatible': String(result.compatible) }, headline),
    result.problems.length > 0 &&
      h(
        'ul',
        { class: 'problems' },
        ...result.problems.map((problem) =>
          h('li', {}, h('code', {}, problem.pointer), ` ${problem.detail}`),
        ),
      ),
  ];
}
