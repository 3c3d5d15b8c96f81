import { MlError } from '@gyre/ml';
import { oneOf, optionalInteger, PositiveIntegerParam, requiredPipeline } from './loop-query';

/** What a parameter check threw, to assert on its class, code and problems. */
function thrownBy(check: () => unknown): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('expected the check to throw');
}

describe('the loop read parameters', () => {
  it('answers a missing pipeline with INVALID_LOOP_QUERY pointing at /query/pipeline', () => {
    for (const missing of [undefined, '']) {
      const error = thrownBy(() => requiredPipeline(missing));

      expect(error).toBeInstanceOf(MlError);
      expect(error).toMatchObject({
        domain: 'ml',
        code: 'INVALID_LOOP_QUERY',
        retriable: false,
        problems: [{ pointer: '/query/pipeline', detail: expect.stringContaining('is required') }],
      });
    }
    expect(requiredPipeline('fraud-demo-1')).toBe('fraud-demo-1');
  });

  it('reads integers within bounds and names anything else', () => {
    expect(optionalInteger('size', undefined, 1, 10)).toBeUndefined();
    expect(optionalInteger('size', '10', 1, 10)).toBe(10);
    for (const bad of ['0', '11', '-1', '1.5', '1e3', ' 3', '', 'x', '99999999999'])
      expect(thrownBy(() => optionalInteger('size', bad, 1, 10))).toMatchObject({
        code: 'INVALID_LOOP_QUERY',
        problems: [{ pointer: '/query/size', detail: 'must be an integer in [1, 10]' }],
      });
  });

  it('reads one of the allowed words, the fallback when absent', () => {
    expect(oneOf('window', undefined, ['epoch', 'rolling'], 'epoch')).toBe('epoch');
    expect(oneOf('window', 'rolling', ['epoch', 'rolling'], 'epoch')).toBe('rolling');
    expect(thrownBy(() => oneOf('window', 'weekly', ['epoch', 'rolling'], 'epoch'))).toMatchObject({
      code: 'INVALID_LOOP_QUERY',
      problems: [{ pointer: '/query/window', detail: 'must be one of "epoch", "rolling"' }],
    });
  });

  it('reads a positive integer path parameter, pointing at /path/<name> otherwise', () => {
    const epoch = new PositiveIntegerParam('epoch');

    expect(epoch.transform('12')).toBe(12);
    expect(thrownBy(() => epoch.transform('0'))).toMatchObject({
      code: 'INVALID_LOOP_QUERY',
      problems: [{ pointer: '/path/epoch', detail: 'must be an integer in [1, 2147483647]' }],
    });
    expect(thrownBy(() => epoch.transform('two'))).toMatchObject({ code: 'INVALID_LOOP_QUERY' });
  });
});
