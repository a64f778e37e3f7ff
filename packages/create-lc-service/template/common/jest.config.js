export default {
  preset: 'nestjs-lc-service',
  roots: ['<rootDir>/test'],
};
