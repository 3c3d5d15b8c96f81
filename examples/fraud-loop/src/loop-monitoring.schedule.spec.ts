import { Logger } from '@nestjs/common';
import {
  EPOCHS_PER_CHECK,
  LoopMonitoringSchedule,
  MONITORING_CHECK_INTERVAL_MS,
} from './loop-monitoring.schedule';
import type { LoopMonitoring } from './loop-monitoring.service';

describe(LoopMonitoringSchedule.name, () => {
  const monitoring = (
    evaluate: LoopMonitoring['evaluateClosedEpochs'],
    showStoredFigures: LoopMonitoring['showStoredFigures'] = async () => 0,
  ) =>
    ({
      evaluateClosedEpochs: jest.fn(evaluate),
      showStoredFigures: jest.fn(showStoredFigures),
    }) as unknown as LoopMonitoring & { evaluateClosedEpochs: jest.Mock; showStoredFigures: jest.Mock };

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('looks for closed epochs only once bootstrapped, every interval, and no more once stopped', async () => {
    jest.useFakeTimers();
    const fake = monitoring(async () => []);
    const schedule = new LoopMonitoringSchedule(fake);

    await jest.advanceTimersByTimeAsync(MONITORING_CHECK_INTERVAL_MS * 2);
    expect(fake.evaluateClosedEpochs).not.toHaveBeenCalled();

    await schedule.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(MONITORING_CHECK_INTERVAL_MS * 2);
    expect(fake.evaluateClosedEpochs).toHaveBeenCalledTimes(2);
    // Whatever their age: a look passes no horizon, only its bound.
    expect(fake.evaluateClosedEpochs.mock.calls).toEqual([[EPOCHS_PER_CHECK], [EPOCHS_PER_CHECK]]);

    await schedule.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(MONITORING_CHECK_INTERVAL_MS * 2);
    expect(fake.evaluateClosedEpochs).toHaveBeenCalledTimes(2);
  });

  it('runs one look at a time and returns what each claimed', async () => {
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const fake = monitoring(async () => {
      if (fake.evaluateClosedEpochs.mock.calls.length === 1) await first;
      return [{ pipeline: 'p', epoch: fake.evaluateClosedEpochs.mock.calls.length }];
    });
    const schedule = new LoopMonitoringSchedule(fake);

    const one = schedule.check();
    const two = schedule.check();
    // Every pending promise job runs before a macrotask: the second look is still waiting for the first.
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.evaluateClosedEpochs).toHaveBeenCalledTimes(1);
    release();

    expect(await one).toEqual([{ pipeline: 'p', epoch: 1 }]);
    expect(await two).toEqual([{ pipeline: 'p', epoch: 2 }]);
  });

  it('logs a failed look and answers no claims, so the next look still runs', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const fake = monitoring(async () => {
      throw new Error('database unavailable');
    });
    const schedule = new LoopMonitoringSchedule(fake);

    expect(await schedule.check()).toEqual([]);
    expect(await schedule.check()).toEqual([]);
    expect(fake.evaluateClosedEpochs).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'model monitoring check failed', error: 'Error: database unavailable' }),
    );
  });

  it('fills the gauges from the stored figures at bootstrap, before any look, and not again', async () => {
    const order: string[] = [];
    const fake = monitoring(
      async () => (order.push('look'), []),
      async () => (order.push('figures'), 3),
    );
    const schedule = new LoopMonitoringSchedule(fake);

    await schedule.onApplicationBootstrap();
    await schedule.stop();
    await schedule.check();
    await schedule.check();

    expect(order).toEqual(['figures', 'look', 'look']);
  });

  it('retries filling the gauges before the next look when Postgres was down at bootstrap', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const order: string[] = [];
    const fake = monitoring(
      async () => (order.push('look'), []),
      async () => {
        order.push('figures');
        if (order.length === 1) throw new Error('database unavailable');
        return 0;
      },
    );
    const schedule = new LoopMonitoringSchedule(fake);

    await schedule.onApplicationBootstrap();
    await schedule.stop();
    await schedule.check();
    await schedule.check();

    expect(order).toEqual(['figures', 'figures', 'look', 'look']);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'model monitoring gauges not filled; retried at the next look' }),
    );
  });
});
