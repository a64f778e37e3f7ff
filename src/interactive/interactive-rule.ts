import type { DrRuleDefinition } from '@nestjs-lc-service/limacharlie';

/** Names of the D&R rule an interactive service keeps in each org, and of its report. */
export function interactiveNames(serviceName: string): {
  rule: string;
  report: string;
  prefix: string;
} {
  const root = `svc-${serviceName}-ex`;
  return { rule: root, report: `__${root}`, prefix: `${root}/` };
}

/**
 * The rule that turns every reply to a tracked task into a detection for this service. Built as
 * data, never YAML text, so no service name can break it; the prefix ends with '/', so another
 * service whose name extends ours (`svc-foo-ex` vs `svc-foobar-ex`) does not match.
 */
export function interactiveRule(serviceName: string): DrRuleDefinition {
  const { report, prefix } = interactiveNames(serviceName);
  return {
    namespace: 'managed',
    detect: {
      op: 'and',
      rules: [
        { op: 'starts with', path: 'routing/investigation_id', value: prefix },
        { op: 'is', not: true, path: 'routing/event_type', value: 'CLOUD_NOTIFICATION' },
      ],
    },
    respond: [{ action: 'report', name: report }],
  };
}
