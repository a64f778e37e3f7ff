import type { DrRuleSet } from 'nestjs-lc-service';

/** Hashes the sample flags. A real service would fetch a feed. */
export const EVIL_HASHES = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
];

/** The D&R rules installed in every org: report process starts with a known-bad hash. */
export const SAMPLE_RULES: DrRuleSet = {
  'sample-evil-hash': {
    namespace: 'general',
    detect: {
      event: 'NEW_PROCESS',
      op: 'is',
      path: 'event/HASH',
      value: EVIL_HASHES[0],
    },
    respond: [{ action: 'report', name: 'evil-hash' }],
  },
};
