import './style.css';
import { h, fill } from './dom';
import { describeError, Page, PageContext } from './page';
import { auditPage } from './pages/audit';
import { deadLettersPage } from './pages/dead-letters';
import { epochsPage } from './pages/epochs';
import { keysPage } from './pages/keys';
import { overviewPage } from './pages/overview';
import { pipelinesPage } from './pages/pipelines';
import { replaysPage } from './pages/replays';
import { streamPage } from './pages/stream';
import { streamsPage } from './pages/streams';
import { resumeSession, Session, signIn, signOut } from './session';

/** Hash routes: the page state is in the fragment, which the browser never sends; the key never is in it. */
const ROUTES: Array<{ pattern: RegExp; page: Page; nav?: [string, string] }> = [
  { pattern: /^\/overview$/, page: overviewPage, nav: ['/overview', 'Overview'] },
  { pattern: /^\/streams$/, page: streamsPage, nav: ['/streams', 'Streams'] },
  { pattern: /^\/streams\/([^/]+)$/, page: streamPage },
  { pattern: /^\/dead-letters\/([^/]+)\/([^/]+)$/, page: deadLettersPage },
  { pattern: /^\/replays$/, page: replaysPage, nav: ['/replays', 'Replays'] },
  { pattern: /^\/pipelines$/, page: pipelinesPage, nav: ['/pipelines', 'Pipelines'] },
  { pattern: /^\/pipelines\/([^/]+)$/, page: pipelinesPage },
  { pattern: /^\/epochs$/, page: epochsPage, nav: ['/epochs', 'Epochs'] },
  { pattern: /^\/epochs\/([^/]+)$/, page: epochsPage },
  { pattern: /^\/epochs\/([^/]+)\/(\d+)$/, page: epochsPage },
  { pattern: /^\/audit$/, page: auditPage, nav: ['/audit', 'Audit log'] },
  { pattern: /^\/keys$/, page: keysPage, nav: ['/keys', 'API keys'] },
];

const root = document.getElementById('app')!;
let timers: number[] = [];

function showSignIn(message = ''): void {
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
  });
  const error = h('p', { role: 'alert', class: 'error' }, message);
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Gyre console'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { class: 'hint' }, 'Kept in this tab only (session storage), sent in the Authorization header.'),
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(input.value.trim())
      .then(showConsole)
      .catch((problem: unknown) => fill(error, `Sign-in refused: ${describeError(problem)}`));
  });
  fill(root, h('main', { class: 'centred' }, form));
  input.focus();
}

function showConsole(session: Session): void {
  const main = h('main', { id: 'main', tabindex: -1 });
  const status = h('div', { role: 'status', 'aria-live': 'polite', class: 'status' });
  const nav = h(
    'nav',
    { 'aria-label': 'Console' },
    h(
      'ul',
      {},
      ...ROUTES.flatMap(({ nav }) => (nav ? [h('li', {}, h('a', { href: `#${nav[0]}` }, nav[1]))] : [])),
    ),
  );
  const who = h(
    'div',
    { class: 'who' },
    h('span', { 'data-role': session.key.role }, `${session.key.name} (${session.key.role})`),
    h('button', { type: 'button', onclick: () => (signOut(), stop(), showSignIn()) }, 'Sign out'),
  );
  fill(
    root,
    h('button', { type: 'button', class: 'skip', onclick: () => main.focus() }, 'Skip to content'),
    h('header', {}, h('strong', {}, 'Gyre'), nav, who),
    main,
    status,
  );

  const notify = (message: string, kind: 'ok' | 'error' = 'ok') => {
    status.className = `status ${kind}`;
    fill(status, message);
  };
  const render = () => {
    stop();
    const route = location.hash.slice(1) || '/overview';
    const match = ROUTES.map((candidate) => ({ candidate, found: candidate.pattern.exec(route) })).find(
      ({ found }) => found,
    );
    for (const link of nav.querySelectorAll('a'))
      link.toggleAttribute('aria-current', route.startsWith(link.getAttribute('href')!.slice(1)));
    if (!match) return fill(main, h('h1', {}, 'Not found'), h('p', {}, `No page at ${route}.`));
    const context: PageContext = {
      session,
      main,
      params: match.found!.slice(1).map(decodeURIComponent),
      notify,
      every: (ms, refresh) => {
        // One refresh at a time: a slow answer is not overtaken by the next tick.
        let running = false;
        const run = () => {
          if (running) return;
          running = true;
          refresh()
            .catch((error: unknown) => notify(describeError(error), 'error'))
            .finally(() => (running = false));
        };
        run();
        timers.push(window.setInterval(run, ms));
      },
    };
    void Promise.resolve(match.candidate.page(context)).catch((error: unknown) =>
      notify(describeError(error), 'error'),
    );
  };
  window.onhashchange = render;
  render();
}

function stop(): void {
  for (const timer of timers) window.clearInterval(timer);
  timers = [];
}

void resumeSession().then((session) => (session ? showConsole(session) : showSignIn()));
