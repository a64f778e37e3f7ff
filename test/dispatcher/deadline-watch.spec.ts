import { jest } from '@jest/globals';
import { LcDeadlineWatch } from '../../src/call/lc-deadline-watch.js';

const T0 = Date.UTC(2030, 0, 1);
const MAX_TIMER_MS = 2 ** 31 - 1;

describe('LcDeadlineWatch', () => {
  let watch: LcDeadlineWatch;
  let expired: string[];
  const at = (ms: number, name: string) => watch.watch(T0 + ms, () => expired.push(name));

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    watch = new LcDeadlineWatch();
    expired = [];
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('expires entries in order, each at its own time', () => {
    at(300, 'c');
    at(100, 'a');
    at(200, 'b');
    jest.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(['a', 'b']);
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(['a', 'b', 'c']);
    expect(watch.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never expires a cancelled entry', () => {
    const gone = at(100, 'gone');
    at(200, 'kept');
    watch.cancel(gone);
    expect(watch.size).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(expired).toEqual(['kept']);
  });

  it('watches a thousand later and later expiries with one timer', () => {
    for (let i = 0; i < 1000; i++) at(600_000 + i, `e${i}`);
    expect(watch.size).toBe(1000);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(600_000 + 999);
    expect(expired).toHaveLength(1000);
    expect(expired.slice(0, 3)).toEqual(['e0', 'e1', 'e2']);
  });

  it('re-arms, still with one timer, for an entry sooner than the armed one', () => {
    at(1000, 'late');
    at(100, 'soon');
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['soon']);
    jest.advanceTimersByTime(900);
    expect(expired).toEqual(['soon', 'late']);
  });

  it('after the earliest is cancelled, fires at its old time and re-arms for the next', () => {
    const first = at(100, 'first');
    at(500, 'next');
    watch.cancel(first);
    // Cancelling leaves the timer where it is (moving it would cost a timer list per call).
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersToNextTimer();
    expect(Date.now()).toBe(T0 + 100);
    expect(expired).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersToNextTimer();
    expect(Date.now()).toBe(T0 + 500);
    expect(expired).toEqual(['next']);
  });

  it('honours an expiry beyond what one setTimeout can wait', () => {
    at(MAX_TIMER_MS + 5000, 'far');
    jest.advanceTimersToNextTimer();
    expect(Date.now()).toBe(T0 + MAX_TIMER_MS);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(4999);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['far']);
  });
});
