import { driftArg } from './drift-arg';

describe(driftArg.name, () => {
  it('reads --drift, defaults to a sudden drift and names the modes when given another', () => {
    expect(driftArg(['--check'])).toBe('sudden');
    expect(driftArg(['--drift', 'none'])).toBe('none');
    expect(driftArg(['--epochs', '4', '--drift', 'gradual'])).toBe('gradual');
    expect(() => driftArg(['--drift', 'wild'])).toThrow(
      '--drift needs one of none, gradual, sudden, got wild',
    );
    expect(() => driftArg(['--drift'])).toThrow('got nothing');
  });
});
