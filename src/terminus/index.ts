// `nestjs-lc-service/terminus`: needs @nestjs/terminus, which the package's root never loads.
export { LcHealthIndicator } from './lc-health.indicator.js';
