import { path } from '../api';
import { h, fill, table } from '../dom';
import { formatRate, formatSeconds, percentDone } from '../format';
import { describeError, PageContext } from '../page';
import type { ReplayJob } from '../types';

const FINISHED = new Set(['completed']);

/** Replay jobs with a progress bar per job and partition; start one into a stream; pause, resume, cancel. */
export function replaysPage({ session, main, every, notify }: PageContext): void {
  const jobs = h('div');
  if (!session.isAdmin) {
    fill(main, h('h1', {}, 'Replays'), h('p', { class: 'note' }, 'Replays are shown to admin keys only.'));
    return;
  }
  const source = h('input', { id: 'replay-source', name: 'source', required: true, autocomplete: 'off' });
  const target = h('input', { id: 'replay-target', name: 'target', required: true, autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'replay-form-title' },
    h('h2', { id: 'replay-form-title' }, 'Start a replay into a stream'),
    h('label', { for: 'replay-source' }, 'Source stream'),
    source,
    h('label', { for: 'replay-target' }, 'Target stream'),
    target,
    h('button', { type: 'submit' }, 'Start replay'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    session.api
      .post<ReplayJob>('/admin/replays', {
        source: source.value,
        target: { kind: 'stream', stream: target.value },
      })
      .then((job) => notify(`Replay ${job.id} started.`))
      .catch((error: unknown) => notify(describeError(error), 'error'));
  });
  const act = (job: ReplayJob, action: 'pause' | 'resume' | 'cancel') =>
    session.api
      .post(`${path`/admin/replays/${job.id}`}:${action}`)
      .then(() => notify(`Replay ${job.id}: ${action} asked.`))
      .catch((error: unknown) => notify(describeError(error), 'error'));

  fill(main, h('h1', {}, 'Replays'), form, h('h2', {}, 'Jobs'), jobs);
  every(1500, async () => {
    const list = await session.api.get<ReplayJob[]>('/admin/replays');
    fill(
      jobs,
      table(
        'Replay jobs with their progress',
        [
          ['Job', (job) => h('code', { title: job.id }, job.id.slice(0, 8))],
          ['Source', (job) => job.source],
          [
            'Target',
            (job) => job.target.stream ?? job.target.dataset ?? `${job.target.pipeline}/${job.target.stage}`,
          ],
          ['State', (job) => h('span', { 'data-state': job.id }, job.state)],
          ['Progress', (job) => progress(job)],
          ['Rate', (job) => (job.ratePerSecond === null ? '-' : formatRate(job.ratePerSecond))],
          ['ETA', (job) => formatSeconds(job.etaSeconds)],
          [
            'Actions',
            (job) =>
              h(
                'div',
                { class: 'actions' },
                job.state === 'running' &&
                  h('button', { type: 'button', onclick: () => void act(job, 'pause') }, 'Pause'),
                job.state === 'paused' &&
                  h('button', { type: 'button', onclick: () => void act(job, 'resume') }, 'Resume'),
                !FINISHED.has(job.state) &&
                  !['cancelled', 'failed'].includes(job.state) &&
                  h(
                    'button',
                    { type: 'button', class: 'danger', onclick: () => void act(job, 'cancel') },
                    'Cancel',
                  ),
              ),
          ],
        ],
        list,
        'No replay yet.',
      ),
    );
  });
}

function progress(job: ReplayJob): HTMLElement {
  const finished = FINISHED.has(job.state);
  const percent = percentDone(job.scanned, job.estimated, finished);
  return h(
    'div',
    { class: 'progress' },
    h('progress', {
      max: 100,
      value: percent,
      'aria-label': `Replay ${job.id} progress`,
      'data-job': job.id,
    }),
    h('span', { 'data-percent': job.id }, `${percent} %`),
    ...job.partitions.map((partition) =>
      h('progress', {
        class: 'partition',
        max: 100,
        value: percentDone(partition.scanned, partition.estimated, partition.done),
        'aria-label': `Partition ${partition.partition} progress`,
      }),
    ),
  );
}
