import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_LIVENESS_PATH, DEFAULT_READINESS_PATH } from '../../src/options/probe-options.js';
import { DEFAULT_METRICS_PATH } from '../../src/options/metrics-options.js';
import { configFromEnv } from '../../sample-app/config.js';
import { ROOT } from '../helpers/dist.js';

/** No Docker engine or cluster here: these checks read the files the way the tools would. */

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}
interface Container {
  image: string;
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  readinessProbe?: Probe;
  livenessProbe: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop: { exec: { command: string[] } } };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers: Container[];
}

async function yamlAt<T>(path: string): Promise<T> {
  return parse(await readFile(resolve(ROOT, path), 'utf8')) as T;
}

function envValue(container: Container, name: string): string | undefined {
  return container.env.find((e) => e.name === name)?.value;
}

/** The sample app's default port and shutdown grace, as it reads them from the environment. */
const SAMPLE_DEFAULT_PORT = configFromEnv({ LC_SHARED_SECRET: 'x' }).port;
const DEFAULT_GRACE_MS = 10_000;

describe('deploy/kubernetes', () => {
  let deployment: {
    metadata: { labels: Record<string, string> };
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: {
        metadata: { labels: Record<string, string>; annotations: Record<string, string> };
        spec: PodSpec;
      };
    };
  };
  let container: Container;
  beforeAll(async () => {
    deployment = await yamlAt('deploy/kubernetes/deployment.yaml');
    container = deployment.spec.template.spec.containers[0];
  });

  it('probes the paths and port the module and the sample app use by default', () => {
    expect(container.readinessProbe!.httpGet.path).toBe(DEFAULT_READINESS_PATH);
    expect(container.livenessProbe.httpGet.path).toBe(DEFAULT_LIVENESS_PATH);
    const [port] = container.ports;
    expect(port.containerPort).toBe(SAMPLE_DEFAULT_PORT);
    expect(envValue(container, 'PORT')).toBe(String(port.containerPort));
    for (const probe of [
      container.readinessProbe!,
      container.livenessProbe,
      container.startupProbe!,
    ]) {
      expect(probe.httpGet.port).toBe(port.name);
    }
    const annotations = deployment.spec.template.metadata.annotations;
    expect(annotations['prometheus.io/path']).toBe(DEFAULT_METRICS_PATH);
    expect(annotations['prometheus.io/port']).toBe(String(port.containerPort));
    expect(envValue(container, 'LC_METRICS')).toBe('1');
  });

  it('gives the drain time to finish before the SIGKILL', () => {
    const graceMs = Number(envValue(container, 'LC_SHUTDOWN_GRACE_MS') ?? DEFAULT_GRACE_MS);
    const preStopSeconds = Number(container.lifecycle!.preStop.exec.command.at(-1));
    const killAfterMs = deployment.spec.template.spec.terminationGracePeriodSeconds! * 1000;
    // Calls in flight, then LcService timer runs, each wait up to the grace.
    expect(killAfterMs).toBeGreaterThan(preStopSeconds * 1000 + 2 * graceMs);
  });

  it('wires the Secret, the Service and the PodDisruptionBudget to the Deployment', async () => {
    const secret = await yamlAt<{ metadata: { name: string }; stringData: Record<string, string> }>(
      'deploy/kubernetes/secret.yaml',
    );
    const ref = container.env.find((e) => e.name === 'LC_SHARED_SECRET')!.valueFrom!.secretKeyRef;
    expect(ref.name).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toEqual([ref.key]);

    const labels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    const service = await yamlAt<{
      spec: { selector: Record<string, string>; ports: { targetPort: string }[] };
    }>('deploy/kubernetes/service.yaml');
    expect(service.spec.selector).toEqual(labels);
    expect(service.spec.ports[0].targetPort).toBe(container.ports[0].name);
    const pdb = await yamlAt<{ spec: { selector: { matchLabels: Record<string, string> } } }>(
      'deploy/kubernetes/pdb.yaml',
    );
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
  });
});

describe('deploy/cloud-run', () => {
  it('probes the default paths on the container port and drains within Cloud Run’s 10 s', async () => {
    const service = await yamlAt<{
      spec: { template: { spec: { timeoutSeconds: number; containers: Container[] } } };
    }>('deploy/cloud-run/service.yaml');
    const [container] = service.spec.template.spec.containers;
    const port = container.ports[0].containerPort;
    expect(port).toBe(SAMPLE_DEFAULT_PORT);
    expect(container.startupProbe!.httpGet).toEqual({ path: DEFAULT_READINESS_PATH, port });
    expect(container.livenessProbe.httpGet).toEqual({ path: DEFAULT_LIVENESS_PATH, port });
    expect(container.env.map((e) => e.name)).not.toContain('PORT');
    expect(Number(envValue(container, 'LC_SHUTDOWN_GRACE_MS'))).toBeLessThan(10_000);
    expect(service.spec.template.spec.timeoutSeconds).toBeGreaterThanOrEqual(590);
  });
});

describe('deploy/Dockerfile', () => {
  it('builds in one stage and runs the built sample app as a non-root user in another', async () => {
    const dockerfile = await readFile(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages;
    expect(build).toMatch(/^RUN npm ci$/m);
    expect(build).toMatch(/^RUN npm run build$/m);
    expect(build).toMatch(/^RUN node deploy\/runtime-package\.mjs \/runtime$/m);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev/m);
    // The runtime installs the packed packages only, as a service of its own would.
    expect(runtime.match(/^COPY .*$/gm)).toEqual([
      'COPY --from=build /runtime ./',
      'COPY --from=build /app/dist/sample-app ./dist/sample-app',
    ]);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(new RegExp(`PORT=${SAMPLE_DEFAULT_PORT}`));
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${SAMPLE_DEFAULT_PORT}$`, 'm'));
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(runtime)![1]) as string[];
    expect(cmd).toEqual(['node', 'dist/sample-app/main.js']);
    const pkg = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(cmd.join(' '));
  });

  it('copies every workspace manifest before npm ci, so that the install matches the lockfile', async () => {
    const dockerfile = await readFile(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
    const beforeInstall = dockerfile.slice(0, dockerfile.search(/^RUN npm ci$/m));
    const { workspaces } = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    expect(workspaces.length).toBeGreaterThan(0);
    for (const workspace of workspaces) {
      expect(beforeInstall).toContain(`COPY ${workspace}/package.json ./${workspace}/\n`);
    }
  });

  it('builds on an LTS line of Node.js that the packages support', async () => {
    const dockerfile = await readFile(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
    const major = Number(/^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)![1]);
    const pkg = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    const minimum = Number(/^>=(\d+)\./.exec(pkg.engines.node)![1]);
    expect(major).toBeGreaterThanOrEqual(minimum);
    // Node's even-numbered lines become LTS; odd ones live six months.
    expect(major % 2).toBe(0);
  });
});
