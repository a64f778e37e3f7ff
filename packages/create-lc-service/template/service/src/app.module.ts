import { Module } from '@nestjs/common';
import { LcServiceModule } from 'nestjs-lc-service';
import { Detections } from './detections.js';
import { sharedSecret } from './secret.js';

@Module({
  imports: [
    LcServiceModule.forRoot({
      serviceName: '__SERVICE_NAME__',
      secret: sharedSecret(),
      // Unset in production (https://api.limacharlie.io); the simulator and tests point it elsewhere.
      limaCharlie: { apiUrl: process.env.LC_API_URL },
    }),
  ],
  providers: [Detections],
})
export class AppModule {}
