import { Agent } from 'node:http';
import { ADAPTERS } from '../helpers/lc-app.js';
import { post, type Answer } from './http-send.js';
import { signedWork, startLoadApp, type LoadApp } from './load-app/launch.js';

const WORKERS = 24;
/** Answers before SIGTERM, so the load is established and calls are in flight when it lands. */
const ANSWERED_BEFORE_SIGTERM = 150;

function parsed(text: string): { retry?: unknown; data?: { id?: unknown } } | undefined {
  try {
    return JSON.parse(text) as { retry?: unknown; data?: { id?: unknown } };
  } catch {
    return undefined;
  }
}

describe.each(ADAPTERS)('SIGTERM under load (%s)', (adapter) => {
  let app: LoadApp | undefined;
  afterEach(() => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('loses no call it started: each is answered in full, the others are refused or never reach it', async () => {
    app = await startLoadApp(adapter);
    const { url, started, ended } = app;
    const agent = new Agent({ keepAlive: true, maxSockets: WORKERS });
    const answers = new Map<number, Answer>();
    let nextId = 0;
    let refused = false;
    let answered = 0;
    let onAnswered = (): void => undefined;
    const worker = async (): Promise<void> => {
      while (!refused) {
        const id = nextId++;
        const { headers, body } = signedWork(id, 20 + ((id * 37) % 130));
        const answer = await post(agent, url, headers, body);
        answers.set(id, answer);
        if (answer.status === 200) answered++;
        onAnswered();
        // Once the server stops listening, LimaCharlie's retries would go to another replica.
        if (answer.status === 0 && /ECONNREFUSED/.test(answer.body)) refused = true;
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    await new Promise<void>((resolve) => {
      onAnswered = () => {
        if (answered >= ANSWERED_BEFORE_SIGTERM) resolve();
      };
    });
    const inFlightAtSigterm = [...started].filter((id) => !ended.has(id)).length;
    app.child.kill('SIGTERM');
    const { code, signal } = await app.exited;
    refused = true;
    await load;
    agent.destroy();

    expect(inFlightAtSigterm).toBeGreaterThan(0);
    // Nest re-raises the signal once its shutdown hooks have run.
    expect(signal === 'SIGTERM' || code === 0).toBe(true);
    const lost: string[] = [];
    for (const [id, answer] of answers) {
      const ran = started.has(id);
      if (ran && (answer.status !== 200 || !ended.has(id))) {
        lost.push(`#${id} started, answered ${answer.status} ${answer.body.slice(0, 120)}`);
      } else if (ran && parsed(answer.body)?.data?.id !== id) {
        lost.push(`#${id} got someone else's answer: ${answer.body}`);
      } else if (!ran && answer.status !== 503 && answer.status !== 0) {
        lost.push(`#${id} never ran, yet answered ${answer.status} ${answer.body.slice(0, 120)}`);
      }
    }
    expect(lost).toEqual([]);
    // While it drained, new calls were told to come back later.
    const refusedWithRetry = [...answers.values()].filter(
      (a) => a.status === 503 && parsed(a.body)?.retry === true,
    );
    expect(refusedWithRetry.length).toBeGreaterThan(0);
  }, 30_000);
});
