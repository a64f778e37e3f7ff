import { LcTimers } from '../../src/service/timers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, withinMs = 2000): Promise<void> {
  const giveUpAt = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await sleep(2);
  }
}

function refTimeouts(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
}

describe('LcTimers', () => {
  let errors: unknown[];
  let timers: LcTimers;

  beforeEach(() => {
    errors = [];
    timers = new LcTimers((error) => errors.push(error));
  });

  afterEach(async () => {
    await timers.shutdown(100);
  });

  describe('delay', () => {
    it('runs the function once, later, with its arguments', async () => {
      const calls: unknown[][] = [];
      timers.delay(0.02, (...args: unknown[]) => calls.push(args), 'a', 1);

      expect(calls).toHaveLength(0);
      expect(timers.size).toBe(1);
      await until(() => calls.length === 1);
      await sleep(40);
      expect(calls).toEqual([['a', 1]]);
      expect(timers.size).toBe(0);
    });

    it('does not run once cancelled', async () => {
      let ran = false;
      const handle = timers.delay(0.01, () => {
        ran = true;
      });
      handle.cancel();

      expect(timers.size).toBe(0);
      await sleep(40);
      expect(ran).toBe(false);
    });

    it('does not hold the process open', async () => {
      const before = refTimeouts();
      timers.delay(60, () => undefined);
      timers.schedule(60, () => undefined);
      await new Promise((resolve) => setImmediate(resolve));

      expect(timers.size).toBe(2);
      expect(refTimeouts()).toBe(before);
    });

    it('rejects a negative or non-finite delay', () => {
      expect(() => timers.delay(-1, () => undefined)).toThrow(RangeError);
      expect(() => timers.delay(Number.NaN, () => undefined)).toThrow(RangeError);
    });
  });

  describe('schedule', () => {
    it('runs at once, inside the call, like the RI', () => {
      let runs = 0;
      timers.schedule(60, () => {
        runs += 1;
      });

      expect(runs).toBe(1);
    });

    it('runs repeatedly and never overlaps a slow run', async () => {
      let runs = 0;
      let inFlight = 0;
      let maxInFlight = 0;
      timers.schedule(0.005, async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(20);
        runs += 1;
        inFlight -= 1;
      });

      await until(() => runs >= 4);
      expect(maxInFlight).toBe(1);
    });

    it('keeps a single live entry however many times it runs', async () => {
      let runs = 0;
      const sizes = new Set<number>();
      timers.schedule(0.001, () => {
        runs += 1;
        sizes.add(timers.size);
      });

      await until(() => runs >= 30);
      expect([...sizes]).toEqual([1]);
      expect(timers.size).toBe(1);
    });

    it('stops after cancel, and forgets the entry', async () => {
      let runs = 0;
      const handle = timers.schedule(0.005, () => {
        runs += 1;
      });
      await until(() => runs >= 2);
      handle.cancel();
      const runsAtCancel = runs;

      await sleep(40);
      expect(runs).toBe(runsAtCancel);
      expect(timers.size).toBe(0);
    });

    it('can be cancelled from inside its own run', async () => {
      let runs = 0;
      const handle = timers.schedule(0.005, () => {
        runs += 1;
        if (runs === 3) handle.cancel();
      });

      await until(() => runs === 3);
      await sleep(40);
      expect(runs).toBe(3);
      expect(timers.size).toBe(0);
    });

    it('rejects an interval of zero', () => {
      expect(() => timers.schedule(0, () => undefined)).toThrow(RangeError);
    });
  });

  describe('errors', () => {
    it('passes thrown and rejected errors to onError and keeps scheduling', async () => {
      let runs = 0;
      timers.schedule(0.005, async () => {
        runs += 1;
        if (runs % 2 === 0) throw new Error(`async ${runs}`);
        await Promise.resolve();
      });
      timers.delay(0, () => {
        throw new Error('sync');
      });

      await until(() => runs >= 5 && errors.length >= 3);
      expect(errors.every((error) => error instanceof Error)).toBe(true);
      expect(errors.map((error) => (error as Error).message)).toEqual(
        expect.arrayContaining(['sync', 'async 2', 'async 4']),
      );
    });

    it('survives an onError callback that throws', async () => {
      const fragile = new LcTimers(() => {
        throw new Error('reporter down');
      });
      let runs = 0;
      fragile.schedule(0.005, () => {
        runs += 1;
        throw new Error('boom');
      });

      await until(() => runs >= 3);
      expect(fragile.size).toBe(1);
      await expect(fragile.shutdown(100)).resolves.toBe(true);
    });
  });

  describe('shutdown', () => {
    it('cancels pending timers and schedules', async () => {
      let delayed = false;
      let scheduled = 0;
      timers.delay(0.02, () => {
        delayed = true;
      });
      timers.schedule(0.02, () => {
        scheduled += 1;
      });

      await expect(timers.shutdown(100)).resolves.toBe(true);
      await sleep(50);
      expect(delayed).toBe(false);
      expect(scheduled).toBe(1);
      expect(timers.size).toBe(0);
    });

    it('waits for a run in progress to finish', async () => {
      let finished = false;
      timers.schedule(60, async () => {
        await sleep(40);
        finished = true;
      });

      await expect(timers.shutdown(2000)).resolves.toBe(true);
      expect(finished).toBe(true);
      expect(timers.size).toBe(0);
    });

    it('gives up on a hung run after the grace period', async () => {
      let started = false;
      timers.delay(0, () => {
        started = true;
        return new Promise(() => undefined);
      });
      await until(() => started);

      const startedAt = Date.now();
      await expect(timers.shutdown(30)).resolves.toBe(false);
      // The run never settles: resolving at all shows the grace period; the bound is loose for busy machines.
      expect(Date.now() - startedAt).toBeLessThan(10_000);
    });

    it('ignores delay and schedule calls made after it', async () => {
      await timers.shutdown(100);
      let runs = 0;
      const handles = [
        timers.delay(0, () => {
          runs += 1;
        }),
        timers.schedule(0.005, () => {
          runs += 1;
        }),
      ];

      await sleep(30);
      expect(runs).toBe(0);
      expect(timers.size).toBe(0);
      expect(timers.isShutDown).toBe(true);
      for (const handle of handles) expect(() => handle.cancel()).not.toThrow();
    });
  });

  it('holds no entry once many delays have run', async () => {
    let runs = 0;
    for (let index = 0; index < 200; index += 1) {
      timers.delay(0, () => {
        runs += 1;
      });
    }
    expect(timers.size).toBe(200);

    await until(() => runs === 200);
    await sleep(5);
    expect(timers.size).toBe(0);
  });
});
