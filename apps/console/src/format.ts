const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units with three significant figures: 0 B, 812 B, 1.50 KiB, 3.00 MiB. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toPrecision(3)} ${UNITS[unit]}`;
}

/** A rate per second: integers above 100, one decimal below. */
export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : Math.round(perSecond * 10) / 10}/s`;
}

/** A duration in seconds as the largest two units: 45 s, 3 min 20 s, 2 h 5 min. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '-';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** A duration that may be under a second (a model's training): one decimal below 10 s. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || seconds >= 10) return formatSeconds(seconds);
  return `${seconds.toFixed(1)} s`;
}

/** The share done of a replay, 0-100, whole percent; 100 only when it is finished. */
export function percentDone(done: number, estimated: number, finished: boolean): number {
  if (finished) return 100;
  if (estimated <= 0) return 0;
  return Math.min(99, Math.floor((done / estimated) * 100));
}
