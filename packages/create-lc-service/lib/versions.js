/**
 * The versions a new app depends on: the ones this repository builds and tests with (a test keeps
 * them equal to the root package.json). TypeScript is pinned to the 5.x release tested here: a
 * caret range would let a new major in, which the package does not support yet.
 */
export const PACKAGE_VERSION = '0.1.0';

export const DEPENDENCIES = {
  '@nestjs/common': '^12.5.1',
  '@nestjs/core': '^12.5.1',
  '@nestjs/platform-fastify': '^12.5.0',
  'class-transformer': '^0.5.1',
  'class-validator': '^0.15.1',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
};

export const DEV_DEPENDENCIES = {
  '@jest/globals': '^30.5.2',
  '@nestjs/testing': '^12.1.1',
  '@types/node': '^20.19.43',
  jest: '^30.5.2',
  'ts-jest': '^29.4.15',
  typescript: '5.9.3',
};
