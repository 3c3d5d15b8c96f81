import { SampleRing, StreamSample } from './sample-ring';

const reading = (at: number, messagesIn: number, backlog = 0): Omit<StreamSample, 'rateIn'> => ({
  at,
  messagesIn,
  storageBytes: 0,
  subscriptions: { trainer: { backlog, rateOut: 0 } },
});

describe(SampleRing.name, () => {
  it('computes the rate in from the counter between two samples', () => {
    const ring = new SampleRing({ perStream: 10, streams: 10, minIntervalMs: 1000 });

    ring.add('clicks', reading(10_000, 100));
    const series = ring.add('clicks', reading(12_000, 107));

    expect(series.map((sample) => sample.rateIn)).toEqual([0, 3.5]);
  });

  it('takes no rate from a counter that went down (the topic was reloaded)', () => {
    const ring = new SampleRing({ perStream: 10, streams: 10, minIntervalMs: 1000 });

    ring.add('clicks', reading(10_000, 500));

    expect(ring.add('clicks', reading(11_000, 3)).at(-1)!.rateIn).toBe(0);
  });

  it('keeps the newest samples per stream and drops the oldest', () => {
    const ring = new SampleRing({ perStream: 3, streams: 10, minIntervalMs: 1000 });

    for (let second = 1; second <= 5; second++) ring.add('clicks', reading(second * 1000, second));

    expect(ring.read('clicks').map((sample) => sample.at)).toEqual([3000, 4000, 5000]);
  });

  it('forgets the stream read least recently when one too many streams is sampled', () => {
    const ring = new SampleRing({ perStream: 3, streams: 2, minIntervalMs: 1000 });
    ring.add('a', reading(1000, 1));
    ring.add('b', reading(1000, 1));
    ring.read('a');

    ring.add('c', reading(1000, 1));

    expect(ring.read('a')).toHaveLength(1);
    expect(ring.read('b')).toHaveLength(0);
  });

  it('is due for a sample only once the minimum interval has passed', () => {
    const ring = new SampleRing({ perStream: 3, streams: 2, minIntervalMs: 1000 });
    expect(ring.due('clicks', 5000)).toBe(true);
    ring.add('clicks', reading(5000, 1));

    expect(ring.due('clicks', 5999)).toBe(false);
    expect(ring.due('clicks', 6000)).toBe(true);
  });
});
