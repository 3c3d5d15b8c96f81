import { replayEventId } from './event-id';

describe(replayEventId.name, () => {
  it('gives the same 128-bit hex id for the same job and source position, every time', () => {
    expect(replayEventId('job-1', '12:3:0:-1')).toBe(replayEventId('job-1', '12:3:0:-1'));
    expect(replayEventId('job-1', '12:3:0')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives different ids for another position, another job, and shifted field boundaries', () => {
    const id = replayEventId('job-1', '12:3:0');
    expect(replayEventId('job-1', '12:4:0')).not.toBe(id);
    expect(replayEventId('job-2', '12:3:0')).not.toBe(id);
    expect(replayEventId('job-11', '2:3:0')).not.toBe(replayEventId('job-1', '12:3:0'));
  });
});
