import { TopicsMode } from '../codec/protocol';
import { Instrumentation } from '../events';
import type { LookupService } from '../lookup/lookup-service';
import { PatternWatcher } from './pattern-watcher';
import { parseTopicsPattern } from './topics-pattern';

const ns = (name: string): string => `persistent://public/default/${name}`;

function watcherOver(namespaceTopics: string[][], failAdds = { next: 0 }) {
  const asked: string[] = [];
  const lookup = {
    getTopicsOfNamespace: async (namespace: string, mode: TopicsMode, pattern?: string) => {
      asked.push(`${namespace} ${mode} ${pattern}`);
      return namespaceTopics.shift() ?? [];
    },
  } as unknown as LookupService;
  const changes: string[] = [];
  const owner = {
    addTopics: async (topics: string[]) => {
      if (failAdds.next-- > 0) throw new Error('broker busy');
      changes.push(`+${topics.join(',')}`);
    },
    removeTopics: async (topics: string[]) => void changes.push(`-${topics.join(',')}`),
  };
  const instrumentation = new Instrumentation();
  const watcher = new PatternWatcher(
    lookup,
    instrumentation,
    parseTopicsPattern('orders-.*'),
    TopicsMode.PERSISTENT,
    owner,
    [ns('orders-a'), ns('orders-b')],
  );
  return { watcher, asked, changes, instrumentation };
}

describe(PatternWatcher.name, () => {
  afterEach(() => jest.useRealTimers());

  it('subscribes topics that started matching and closes those that are gone', async () => {
    const { watcher, asked, changes } = watcherOver([
      [ns('orders-a'), ns('orders-c-partition-0'), ns('orders-c-partition-1'), ns('refunds')],
    ]);
    await watcher.check();
    expect(asked).toEqual(['public/default 0 persistent://public/default/orders-.*']);
    expect(changes).toEqual([`-${ns('orders-b')}`, `+${ns('orders-c')}`]);
  });

  it('asks its owner nothing when the matching topics are unchanged', async () => {
    const { watcher, changes } = watcherOver([[ns('orders-b'), ns('orders-a')]]);
    await watcher.check();
    expect(changes).toEqual([]);
  });

  it('reports a failed check and tries the same change again next time', async () => {
    const now = [ns('orders-a'), ns('orders-b'), ns('orders-c')];
    const { watcher, changes, instrumentation } = watcherOver([now, now], { next: 1 });
    const errors: Array<Error | undefined> = [];
    instrumentation.on('patternDiscovery', (event) => errors.push(event.error));
    await watcher.check();
    await watcher.check();
    expect(errors.map((error) => error?.message)).toEqual(['broker busy', undefined]);
    expect(changes).toEqual([`+${ns('orders-c')}`]);
  });

  it('checks every period until stopped, and never after', async () => {
    jest.useFakeTimers();
    const { watcher, asked } = watcherOver([]);
    watcher.start(1000);
    await jest.advanceTimersByTimeAsync(1000);
    await jest.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(2);
    watcher.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(asked).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(0);
  });
});
