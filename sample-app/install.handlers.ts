import { Injectable, Logger } from '@nestjs/common';
import { LcClient, LcHandler, lcResponse, type LimaCharlieClient } from 'nestjs-lc-service';
import { SAMPLE_RULES } from './rules.js';

/** Org lifecycle: keep the service's D&R rules in place while it is installed. */
@Injectable()
export class InstallHandlers {
  private readonly logger = new Logger(InstallHandlers.name);

  @LcHandler('org_install')
  async install(@LcClient() lc: LimaCharlieClient) {
    const changes = await lc.rules.sync(SAMPLE_RULES);
    this.logger.log(`installed in ${lc.oid}: ${JSON.stringify(changes)}`);
    return lcResponse({ data: { rules: changes } });
  }

  /** LimaCharlie redelivers an uninstall that failed: a rule already deleted is done. */
  @LcHandler('org_uninstall')
  async uninstall(@LcClient() lc: LimaCharlieClient) {
    for (const [name, rule] of Object.entries(SAMPLE_RULES)) {
      await lc.rules.delete(name, { namespace: rule.namespace, missingOk: true });
    }
    return true;
  }
}
