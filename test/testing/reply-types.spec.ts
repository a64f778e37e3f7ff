import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import {
  Job,
  LcAction,
  LcExtensionEvent,
  LcHandler,
  lcResponse,
  type LcEtype,
} from 'nestjs-lc-service';
import type { JobHistoryEntry } from 'nestjs-lc-service';
import type { LcSendEtype } from 'nestjs-lc-service/testing';
import { startLcApp, type LcTestApp } from '../helpers/lc-app.js';
import { startExtApp, type LcExtTestApp } from '../extension/helpers.js';

// Also a type test: `npm test` type-checks every spec with tsc (pretest) before jest runs, so a
// reply typed too loosely (or an unused @ts-expect-error) fails the build there.

/** Compiles only when `value` has exactly type `T` (not a wider or narrower one). */
function exactly<T>() {
  return <V extends T>(value: V & ([T] extends [V] ? unknown : never)): V => value;
}

@Injectable()
class Narrating {
  @LcHandler('request')
  narrate() {
    const job = new Job();
    job.setCause('scan requested');
    job.narrate('scanned 3 hosts', [], true);
    return lcResponse({ data: { hosts: 3 }, jobs: [job] });
  }
}

@Injectable()
class Counting {
  @LcAction('count')
  count() {
    return { found: 2 };
  }

  @LcExtensionEvent('subscribe')
  subscribed() {
    return undefined;
  }
}

describe('test client reply types', () => {
  let service: LcTestApp;
  let ext: LcExtTestApp;
  beforeAll(async () => {
    service = await startLcApp({ providers: [Narrating] });
    ext = await startExtApp({ providers: [Counting] });
  });
  afterAll(async () => {
    await service.close();
    await ext.close();
  });

  it("types a Service reply's jobs with their history, and data by a type argument", async () => {
    const reply = await service.client.send<{ hosts: number }>('request');

    const job = reply.body.jobs![0];
    const entry = exactly<JobHistoryEntry>()(job.hist![0]);
    expect(entry).toEqual({
      ts: expect.any(Number),
      msg: 'scanned 3 hosts',
      attachments: [],
      is_important: true,
    });
    expect(exactly<string | undefined>()(job.cause)).toBe('scan requested');
    expect(exactly<number>()(reply.body.data.hosts)).toBe(3);
    // @ts-expect-error a job's history is a list of entries
    const wrong: string = job.hist;
    expect(Array.isArray(wrong)).toBe(true);
  });

  it('takes the known etypes and any other string, and nothing else', async () => {
    const known: LcEtype[] = ['health', 'org_per_1h', 'get_resource'];
    const sendable: LcSendEtype[] = [...known, 'custom_etype'];
    const replies = await Promise.all(sendable.map((etype) => service.client.send(etype)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(replies[3].body).toMatchObject({ success: false, error: 'not implemented' });
    // @ts-expect-error an etype is a string
    const notAnEtype: LcSendEtype = 42;
    expect(notAnEtype).toBe(42);
  });

  it("types an extension request's data and takes the known event names", async () => {
    const reply = await ext.client.request<{ found: number }>('count');
    expect(exactly<number | undefined>()(reply.body.data?.found)).toBe(2);
    const event = await ext.client.event('subscribe');
    expect(event.body).toMatchObject({ error: '' });
  });
});
