import { Logger } from '@nestjs/common';
import { LoopMonitoringSchedule, MONITORING_CHECK_INTERVAL_MS } from './loop-monitoring.schedule';
import type { LoopMonitoring } from './loop-monitoring.service';

describe(LoopMonitoringSchedule.name, () => {
  const monitoring = (evaluate: LoopMonitoring['evaluateClosedEpochs']) =>
    ({ evaluateClosedEpochs: jest.fn(evaluate) }) as unknown as LoopMonitoring & {
      evaluateClosedEpochs: jest.Mock;
    };

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

    schedule.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(MONITORING_CHECK_INTERVAL_MS * 2);
    expect(fake.evaluateClosedEpochs).toHaveBeenCalledTimes(2);

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
});
