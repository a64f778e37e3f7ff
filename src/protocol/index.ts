export * from './etypes.js';
export * from './signature.js';
export * from './envelope.js';
export * from './response.js';
export * from './request-params.js';
export * from './resources.js';
export * from './lc-error.js';
