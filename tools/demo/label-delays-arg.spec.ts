import { DEFAULT_OUTCOME_DELAYS } from '@gyre/ml';
import { LABEL_DELAYS, labelDelaysArg } from './label-delays-arg';

describe(labelDelaysArg.name, () => {
  it('reads a preset, defaults to the scenario defaults and names the choices on a bad one', () => {
    expect(labelDelaysArg(['--label-delays', 'slow'])).toEqual({ name: 'slow', delays: LABEL_DELAYS.slow });
    expect(labelDelaysArg([])).toEqual({ name: 'default', delays: DEFAULT_OUTCOME_DELAYS });
    expect(() => labelDelaysArg(['--label-delays', 'never'])).toThrow(
      '--label-delays needs one of fast, default, slow, got never',
    );
  });
});
