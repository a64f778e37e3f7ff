import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { distFile, ROOT } from '../../../test/helpers/dist.js';

const run = promisify(execFile);

const SCRIPT = `
import { LimaCharlieClient } from '@nestjs-lc-service/limacharlie';
import { FakeLimaCharlie } from '@nestjs-lc-service/limacharlie/testing';

let nest = 'resolvable';
try {
  import.meta.resolve('@nestjs/common');
} catch {
  nest = 'absent';
}
const fake = new FakeLimaCharlie();
await fake.start();
try {
  const { oid, jwt } = fake.addOrg();
  fake.addSensor(oid, { hostname: 'plain-node-1' });
  fake.addSensor(oid, { hostname: 'plain-node-2' });
  const lc = new LimaCharlieClient({ oid, jwt, apiUrl: fake.url });
  const hostnames = [];
  for await (const sensor of lc.sensors.list()) hostnames.push(sensor.hostname);
  const userAgent = fake.calls.at(-1).headers['user-agent'];
  const apiKey = fake.addApiKey(oid);
  const keyed = new LimaCharlieClient({ oid, apiKey, jwtUrl: fake.jwtUrl, apiUrl: fake.url });
  await keyed.lookups.set('seen', { data: { hosts: hostnames.length } });
  const seen = (await keyed.lookups.get('seen')).data;
  const exchanges = fake.calls.filter((c) => c.path === '/jwt').length;
  console.log(JSON.stringify({ nest, hostnames: hostnames.sort(), userAgent, seen, exchanges }));
} finally {
  await fake.stop();
}
`;

/**
 * The built package alone in a temporary directory, with only its own dependency: nothing of the
 * repository (Nest included) can be resolved from there.
 */
describe('@nestjs-lc-service/limacharlie in a plain Node program', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lc-client-alone-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists sensors and, with an API key, writes a hive record against the fake API without Nest installed', async () => {
    const packageDir = resolve(ROOT, 'packages/limacharlie');
    const installed = join(dir, 'node_modules/@nestjs-lc-service/limacharlie');
    await mkdir(installed, { recursive: true });
    await cp(resolve(distFile('index.js', 'packages/limacharlie'), '..'), join(installed, 'dist'), {
      recursive: true,
    });
    await cp(join(packageDir, 'package.json'), join(installed, 'package.json'));
    await cp(resolve(ROOT, 'node_modules/yaml'), join(dir, 'node_modules/yaml'), {
      recursive: true,
    });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    await writeFile(join(dir, 'list-sensors.js'), SCRIPT);

    const { stdout } = await run(process.execPath, ['list-sensors.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(JSON.parse(stdout)).toEqual({
      nest: 'absent',
      hostnames: ['plain-node-1', 'plain-node-2'],
      userAgent: `nestjs-lc-service/${version}`,
      seen: { hosts: 2 },
      exchanges: 1,
    });
  });
});
