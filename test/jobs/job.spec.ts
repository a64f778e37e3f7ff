import { HexDump, Job, JobError, Table } from '../../src/jobs/index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Job', () => {
  const realNow = Date.now;
  let now = 0;

  beforeEach(() => {
    now = 1_700_000_000_123;
    Date.now = () => now;
  });

  afterEach(() => {
    Date.now = realNow;
  });

  it('starts a new job with a uuid v4 id and a start time in ms', () => {
    const job = new Job();
    job.setCause('evil hash seen');

    expect(job.getId()).toMatch(UUID_V4);
    expect(job.toJSON()).toEqual({
      id: job.getId(),
      start: 1_700_000_000_123,
      cause: 'evil hash seen',
    });
    expect(new Job().getId()).not.toBe(job.getId());
  });

  it('refuses to serialise a new job without a cause, naming the fix', () => {
    const job = new Job();

    expect(() => job.toJSON()).toThrow(JobError);
    expect(() => JSON.stringify({ jobs: [job] })).toThrow(
      `Job ${job.getId()} is new and has no cause: call job.setCause(...) before returning it`,
    );
  });

  it('updates an existing job by id: no start, and no cause needed', () => {
    const job = new Job('job-42');

    expect(job.getId()).toBe('job-42');
    expect(job.toJSON()).toEqual({ id: 'job-42' });
  });

  it('rejects an empty job id', () => {
    expect(() => new Job('')).toThrow(TypeError);
  });

  it('produces the RI format with sensors, history and end', () => {
    const job = new Job('job-7');
    job.addSensor('sid-1');
    job.addSensor('sid-1');
    now += 10;
    job.narrate('tasked the sensor');
    now += 10;
    job.narrate('found it', [new Table('procs', ['pid', 'name'], [[4, 'evil.exe']])], true);
    now += 10;
    job.close();

    expect(JSON.parse(JSON.stringify(job))).toEqual({
      id: 'job-7',
      end: 1_700_000_000_153,
      sid: ['sid-1', 'sid-1'],
      hist: [
        { ts: 1_700_000_000_133, msg: 'tasked the sensor', attachments: [], is_important: false },
        {
          ts: 1_700_000_000_143,
          msg: 'found it',
          attachments: [
            {
              att_type: 'table',
              caption: 'procs',
              headers: ['pid', 'name'],
              rows: [[4, 'evil.exe']],
            },
          ],
          is_important: true,
        },
      ],
    });
  });

  it('leaves hist and sid out until they are used', () => {
    const json = new Job('job-1').toJSON();

    expect('hist' in json).toBe(false);
    expect('sid' in json).toBe(false);
    expect('end' in json).toBe(false);
  });

  it('serialises a hex dump attachment inside a response body', () => {
    const job = new Job('job-9');
    job.narrate('dumped', [new HexDump('header', Buffer.from([0xde, 0xad, 0xbe, 0xef]))]);

    const body = JSON.parse(JSON.stringify({ success: true, jobs: [job] }));

    expect(body.jobs[0].hist[0].attachments).toEqual([
      { att_type: 'hex_dump', caption: 'header', data: '3q2+7w==' },
    ]);
  });

  it('narrates a snapshot: later changes to an attachment or to returned JSON do not leak in', () => {
    const job = new Job('job-3');
    const table = new Table('t', ['a']);
    job.narrate('first', [table]);
    table.addRow(['later']);
    job.toJSON().hist?.[0]?.attachments.push({ att_type: 'yaml', caption: 'x', data: '' });
    job.toJSON().sid?.push('nope');

    expect(job.toJSON().hist?.[0]?.attachments).toEqual([
      { att_type: 'table', caption: 't', headers: ['a'], rows: [] },
    ]);
  });

  it('does not share history between jobs narrated with the default attachments', () => {
    const first = new Job('a');
    const second = new Job('b');
    first.narrate('one');
    second.narrate('two');

    expect(first.toJSON().hist).toHaveLength(1);
    expect(second.toJSON().hist?.[0]?.msg).toBe('two');
  });
});
