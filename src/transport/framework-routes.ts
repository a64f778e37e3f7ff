import { LcConfigError } from '../options/lc-config-error.js';

interface FastifyRoutesLike {
  hasRoute(route: { method: string; url: string }): boolean;
}

interface ExpressRouteLike {
  path?: unknown;
  methods?: Record<string, boolean | undefined>;
}

interface ExpressRouterLike {
  router?: { stack?: { route?: ExpressRouteLike }[] };
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Whether the app already routes `method path`: Nest registers the controllers' routes before
 * module init hooks run, so at mount time a clash is visible. Fastify would refuse the second
 * route with a bare FastifyError; Express would let the first one registered silently win.
 */
function frameworkRoutes(
  type: string,
  instance: object,
  method: 'GET' | 'POST',
  path: string,
): boolean {
  if (type === 'fastify') {
    const fastify = instance as Partial<FastifyRoutesLike>;
    return typeof fastify.hasRoute === 'function' && fastify.hasRoute({ method, url: path });
  }
  const stack = (instance as ExpressRouterLike).router?.stack;
  if (!Array.isArray(stack)) return false;
  // Express matches without regard to case or a trailing slash, unless told otherwise.
  const wanted = withoutTrailingSlash(path).toLowerCase();
  const verb = method.toLowerCase();
  return stack.some(({ route }) => {
    if (route === undefined || typeof route.path !== 'string') return false;
    if (withoutTrailingSlash(route.path).toLowerCase() !== wanted) return false;
    return route.methods?.[verb] === true || route.methods?._all === true;
  });
}

/**
 * Refuses to mount a route of the module where the app already has one. `option` is the module
 * option that chose the path; `fix` how to resolve the clash.
 */
export function refuseRouteClash(
  moduleName: string,
  type: string,
  instance: object,
  method: 'GET' | 'POST',
  path: string,
  option: string,
  fix: string,
): void {
  if (!frameworkRoutes(type, instance, method, path)) return;
  throw new LcConfigError(
    `${moduleName}: option '${option}' mounts ${method} '${path}', but the app already has a ${method} route there ` +
      `(a controller's route, or a route a plugin or middleware registered). ${fix}`,
  );
}
