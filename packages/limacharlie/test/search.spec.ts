import { FAKE_SEARCH_PREFIX, type FakeSearchEvent } from '../src/testing/index.js';
import { LcApiError } from '../src/index.js';
import { newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

const START = 1_700_000_000;
const END = START + 3600;

function events(count: number, type = 'NEW_PROCESS'): FakeSearchEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    routing: { event_type: type, event_time: (START + 60 + i) * 1000 },
    event: { FILE_PATH: `/bin/p${i}` },
  }));
}

describe('lc.search (limacharlie/sdk/search.py)', () => {
  const fake = useFakeLimaCharlie();
  const searchCalls = () =>
    fake().calls.filter((c) => c.path.startsWith(`${FAKE_SEARCH_PREFIX}/v1/`));

  it('search.validate sends what limacharlie/sdk/search.py Search.validate sends', async () => {
    const { lc, oid, jwt } = newOrgClient(fake());
    fake().addSearchEvents(oid, events(3));

    const ok = await lc.search.validate('* | NEW_PROCESS', {
      start: START,
      end: END,
      stream: 'event',
    });
    expect(ok.error).toBeUndefined();
    expect(ok.stats).toEqual({ eventsScanned: 3 });

    // The search host comes from orgs/{oid}/url, asked without an Authorization header.
    const [urls, validate] = fake().calls;
    expect(urls).toMatchObject({ method: 'GET', path: `/v1/orgs/${oid}/url` });
    expect(urls.headers.authorization).toBeUndefined();
    expect(validate.method).toBe('POST');
    expect(validate.path).toBe(`${FAKE_SEARCH_PREFIX}/v1/search/validate`);
    expect(validate.headers['content-type']).toBe('application/json');
    expect(validate.headers.authorization).toBe(`bearer ${jwt}`);
    expect(validate.query).toEqual({});
    // Byte for byte what json.dumps writes: times as strings, stream only when given.
    expect(validate.body).toBe(
      `{"oid": "${oid}", "query": "* | NEW_PROCESS", "startTime": "${START}", "endTime": "${END}", "stream": "event"}`,
    );

    const bad = await lc.search.validate('nonsense');
    expect(bad.error).toContain('invalid query');
    const body = JSON.parse(fake().calls.at(-1)?.body ?? '') as Record<string, string>;
    expect(Object.keys(body)).toEqual(['oid', 'query', 'startTime', 'endTime']);
    const now = Math.floor(Date.now() / 1000);
    expect(Number(body.endTime)).toBeGreaterThanOrEqual(now - 60);
    expect(Number(body.endTime) - Number(body.startTime)).toBe(86_400);
    // The host is looked up once per client.
    expect(fake().calls.filter((c) => c.path.endsWith('/url'))).toHaveLength(1);
  });

  it('search.estimate sends what limacharlie/sdk/search.py Search.estimate sends', async () => {
    const { lc, oid, events: metrics } = newOrgClient(fake());
    fake().addSearchEvents(oid, events(4));

    const estimate = await lc.search.estimate('* | *', { start: START, end: END });
    expect(estimate.estimatedPrice).toEqual({
      amount: expect.any(Number) as number,
      currency: 'USD',
    });
    const call = searchCalls().at(-1);
    expect(call?.path).toBe(`${FAKE_SEARCH_PREFIX}/v1/search/validate`);
    expect(call?.body).toBe(
      `{"oid": "${oid}", "query": "* | *", "startTime": "${START}", "endTime": "${END}"}`,
    );
    expect(metrics.at(-1)?.operation).toBe('search.estimate');
  });

  it('search.execute sends what limacharlie/sdk/search.py Search.execute sends, and walks the pages', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addSearchEvents(oid, [...events(5), ...events(2, 'DNS_REQUEST')]);
    fake().setSearchPaging({ pageSize: 2, pendingPolls: 1 });

    const rows: unknown[] = [];
    for await (const row of lc.search.execute(
      "* | NEW_PROCESS | event/FILE_PATH contains '/bin/'",
      {
        start: START,
        end: END,
        stream: 'event',
      },
    )) {
      rows.push(row);
    }

    expect(rows).toEqual(events(5));
    const calls = searchCalls();
    expect(calls[0].method).toBe('POST');
    expect(calls[0].path).toBe(`${FAKE_SEARCH_PREFIX}/v1/search`);
    expect(calls[0].headers['content-type']).toBe('application/json');
    expect(calls[0].body).toBe(
      `{"oid": "${oid}", "query": "* | NEW_PROCESS | event/FILE_PATH contains '/bin/'", "startTime": "${START}", "endTime": "${END}", "paginated": true, "stream": "event"}`,
    );
    const polls = calls.filter((c) => c.method === 'GET');
    // 3 pages, each first answered "not completed": the same token is polled again.
    expect(polls).toHaveLength(6);
    expect(polls[0].query).toEqual({});
    expect(polls[1].query).toEqual({});
    expect(polls[2].query.token).toEqual(expect.any(String));
    expect(polls[3].query).toEqual(polls[2].query);
    expect(polls[4].query.token).not.toEqual(polls[2].query.token);
    const cancel = calls.at(-1);
    expect(cancel?.method).toBe('DELETE');
    expect(cancel?.path).toBe(polls[0].path);
    expect(fake().openSearches).toBe(0);
  });

  it('fetches on demand: a limit or a break stops polling and cancels the query', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addSearchEvents(oid, events(6));

    const limited: unknown[] = [];
    for await (const row of lc.search.execute('* | *', { start: START, end: END, limit: 3 })) {
      limited.push(row);
    }
    expect(limited).toEqual(events(3));
    expect(searchCalls().filter((c) => c.method === 'GET')).toHaveLength(2);
    expect(fake().openSearches).toBe(0);

    fake().calls.length = 0;
    for await (const row of lc.search.execute('* | *', { start: START, end: END })) {
      expect(row).toEqual(events(1)[0]);
      break;
    }
    expect(searchCalls().map((c) => c.method)).toEqual(['POST', 'GET', 'DELETE']);
    expect(fake().openSearches).toBe(0);
  });

  it('search.results yields the result objects py yields', async () => {
    const { lc, oid } = newOrgClient(fake());
    fake().addSearchEvents(oid, events(3));

    const results = [];
    for await (const result of lc.search.results('* | *', { start: START, end: END })) {
      results.push(result);
    }
    expect(results.map((r) => [r.type, r.rows?.length, typeof r.nextToken])).toEqual([
      ['events', 2, 'string'],
      ['events', 1, 'undefined'],
    ]);
  });

  it('a deadline that passes while the query is pending ends the iteration', async () => {
    const deadline = new AbortController();
    const { lc, oid } = newOrgClient(fake(), { signal: deadline.signal });
    fake().addSearchEvents(oid, events(4));
    fake().setSearchPaging({ pageSize: 2, pendingPolls: 1 });

    const rows: unknown[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const row of lc.search.execute('* | *', { start: START, end: END })) {
          rows.push(row);
          // The second page is pending: the client waits, and the deadline passes meanwhile.
          if (rows.length === 2) setTimeout(() => deadline.abort(), 50);
        }
      })(),
    );

    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'deadline' });
    expect(rows).toEqual(events(2));
    expect(searchCalls().filter((c) => c.method === 'GET')).toHaveLength(3);
  });

  it('a query that fails to start is an LcApiError naming the reason', async () => {
    const { lc } = newOrgClient(fake());
    const err = await rejectionOf(lc.search.execute('broken', { start: START, end: END }).next());
    expect(err).toMatchObject({
      status: 400,
      code: expect.stringContaining('invalid query') as unknown,
    });
  });
});
