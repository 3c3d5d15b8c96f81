import { deriveOutputId, OutputIdSource } from './output-id';

const source: OutputIdSource = {
  inputId: 'evt-1',
  pipeline: 'fraud',
  stage: 'infer',
  epoch: '3',
  stream: 'predictions',
  part: '0',
};

describe(deriveOutputId.name, () => {
  it('gives the same input, stage and epoch the same id every time (a redelivery republishes the same ids)', () => {
    expect(deriveOutputId(source)).toBe(deriveOutputId({ ...source }));
    expect(deriveOutputId(source)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives a different id when any of input, pipeline, stage, epoch, stream or part differs', () => {
    const ids = new Set(
      [
        source,
        { ...source, inputId: 'evt-2' },
        { ...source, pipeline: 'fraud-b' },
        { ...source, stage: 'prepare' },
        { ...source, epoch: '4' },
        { ...source, stream: 'scores' },
        { ...source, part: '1' },
      ].map(deriveOutputId),
    );

    expect(ids.size).toBe(7);
  });

  it('cannot be made to collide by moving characters from one field to the next', () => {
    expect(deriveOutputId({ ...source, inputId: 'ab', pipeline: 'c' })).not.toBe(
      deriveOutputId({ ...source, inputId: 'a', pipeline: 'bc' }),
    );
  });

  it('is pinned: the same inputs give this id in every release (sinks compare ids across deploys)', () => {
    expect(deriveOutputId(source)).toBe('186a4aa9b5416c638c0575a7bd2c8134');
  });
});
