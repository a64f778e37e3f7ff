import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { LcServiceModuleOptions } from './options/lc-service.options.js';

export const {
  ConfigurableModuleClass: LcServiceConfigurableModule,
  MODULE_OPTIONS_TOKEN: LC_MODULE_OPTIONS,
  OPTIONS_TYPE: LC_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: LC_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<LcServiceModuleOptions>({ moduleName: 'LcService' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLcServiceOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
