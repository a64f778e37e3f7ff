/** Every etype LimaCharlie sends to a service, as the Python RI and the Go port name them. */

const PERIODS = ['1h', '3h', '12h', '24h', '7d', '30d'] as const;

export const ORG_CRON_ETYPES = PERIODS.map((p) => `org_per_${p}` as const);
export const ONCE_CRON_ETYPES = PERIODS.map((p) => `once_per_${p}` as const);
export const SENSOR_CRON_ETYPES = PERIODS.map((p) => `sensor_per_${p}` as const);

export type LcPeriod = (typeof PERIODS)[number];
export type LcOrgCronEtype = `org_per_${LcPeriod}`;
export type LcOnceCronEtype = `once_per_${LcPeriod}`;
export type LcSensorCronEtype = `sensor_per_${LcPeriod}`;
/** The 18 scheduled etypes. LimaCharlie sends them as webhooks; nothing here runs a local timer. */
export type LcCronEtype = LcOrgCronEtype | LcOnceCronEtype | LcSensorCronEtype;

export const CRON_ETYPES: readonly LcCronEtype[] = [
  ...ORG_CRON_ETYPES,
  ...ONCE_CRON_ETYPES,
  ...SENSOR_CRON_ETYPES,
];

/** Etypes a user handler may implement with `@LcHandler`. */
export const HANDLER_ETYPES = [
  'org_install',
  'org_uninstall',
  'detection',
  'request',
  'deployment_event',
  'log_event',
  'service_error',
  'new_sensor',
  'command',
  ...CRON_ETYPES,
] as const;

export type LcHandlerEtype = (typeof HANDLER_ETYPES)[number];

/** Etypes the module answers itself, from what it discovered at boot. */
export const MODULE_ETYPES = ['health', 'get_resource'] as const;
export type LcModuleEtype = (typeof MODULE_ETYPES)[number];

export type LcEtype = LcHandlerEtype | LcModuleEtype;

const HANDLER_ETYPE_SET: ReadonlySet<string> = new Set(HANDLER_ETYPES);

export function isHandlerEtype(etype: string): etype is LcHandlerEtype {
  return HANDLER_ETYPE_SET.has(etype);
}

/**
 * `health` and the `once_per_*` crons are sent once per service, not per org: they carry no oid
 * and no JWT, so their handlers get no LimaCharlie client.
 */
export function isOrglessEtype(etype: string): boolean {
  return etype === 'health' || etype.startsWith('once_per_');
}
