import { Module } from '@nestjs/common';
import { LcExtensionModule } from 'nestjs-lc-service';
import { Config } from './config.dto.js';
import { Tagger } from './tagger.js';
import { sharedSecret } from './secret.js';

@Module({
  imports: [
    LcExtensionModule.forRoot({
      name: '__SERVICE_NAME__',
      secret: sharedSecret(),
      config: Config,
      views: [{ name: 'main', layoutType: 'action', defaultRequests: ['tag'] }],
      // Unset in production (https://api.limacharlie.io); the simulator and tests point it elsewhere.
      limaCharlie: { apiUrl: process.env.LC_API_URL },
    }),
  ],
  providers: [Tagger],
})
export class AppModule {}
