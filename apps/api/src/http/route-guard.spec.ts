import { patternOf } from './route-guard';

describe(patternOf.name, () => {
  it('matches one segment per parameter and nothing across slashes', () => {
    const pattern = patternOf('/v1/streams/:stream/events');
    expect(pattern.test('/v1/streams/clicks/events')).toBe(true);
    expect(pattern.test('/v1/streams/a%2Fb/events')).toBe(true);
    expect(pattern.test('/v1/streams/a/b/events')).toBe(false);
    expect(pattern.test('/v1/streams//events')).toBe(false);
  });

  it('reads :: as a literal colon, as find-my-way does, and * as the rest of the path', () => {
    const pull = patternOf('/v1/streams/:stream/subscriptions/:sub/messages::pull');
    expect(pull.test('/v1/streams/s/subscriptions/w/messages:pull')).toBe(true);
    expect(pull.test('/v1/streams/s/subscriptions/w/messages:ack')).toBe(false);
    expect(patternOf('/docs/*').test('/docs/static/index.html')).toBe(true);
  });
});
