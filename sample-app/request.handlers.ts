import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LcData, LcHandler, lcResponse, LcResource, LcService } from 'nestjs-lc-service';
import { EVIL_HASHES } from './rules.js';

/** User requests and published resources. */
@Injectable()
export class RequestHandlers implements OnModuleInit {
  constructor(private readonly lc: LcService) {}

  onModuleInit(): void {
    this.lc.setRequestParameters({
      hash: { type: 'str', desc: 'the SHA-256 to look up', is_required: true },
      verbose: { type: 'bool', desc: 'include the list of known hashes' },
    });
  }

  /** "Is this hash known-bad?", from the LimaCharlie UI or API. */
  @LcHandler('request')
  lookup(@LcData('hash') hash: string, @LcData('verbose') verbose: boolean | null) {
    const known = EVIL_HASHES.includes(hash.toLowerCase());
    return lcResponse({ data: verbose === true ? { known, hashes: EVIL_HASHES } : { known } });
  }

  /** A lookup D&R rules can reference as lcr://service/<serviceName>/evil-hashes. */
  @LcResource({ name: 'evil-hashes', category: 'lookup' })
  hashes() {
    return Object.fromEntries(EVIL_HASHES.map((h) => [h, { source: 'sample' }]));
  }
}
