import type { Type } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { LcDtoCheck, type LcDtoChecked } from './dto-check.js';

/** The DTO instance to hand to the handler, or class-validator's messages. */
export type LcExtDtoOutcome = { ok: true; value: object } | { ok: false; error: string };

/** Keys that would reach an instance's prototype machinery through class-transformer. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An Extension DTO (an action's params, the config): the wire object transformed with
 * class-transformer and validated with class-validator, every message kept.
 */
export class LcExtDto {
  private readonly check: LcDtoCheck;

  constructor(readonly dto: Type<object>) {
    this.check = new LcDtoCheck(dto);
  }

  /** Synchronous when the data holds and the DTO is flat (see LcDtoCheck). */
  validate(data: Record<string, unknown>): LcExtDtoOutcome | Promise<LcExtDtoOutcome> {
    try {
      let plain = data;
      for (const key in data) {
        if (UNSAFE_KEYS.has(key)) {
          plain = withoutUnsafeKeys(data);
          break;
        }
      }
      const checked = this.check.run(plain);
      return checked instanceof Promise ? checked.then(outcomeOf, failed) : outcomeOf(checked);
    } catch (err) {
      return failed(err);
    }
  }
}

function withoutUnsafeKeys(data: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (!UNSAFE_KEYS.has(key)) plain[key] = data[key];
  }
  return plain;
}

function outcomeOf({ instance, errors }: LcDtoChecked): LcExtDtoOutcome {
  if (errors.length > 0) return { ok: false, error: messagesOf(errors, '').join('; ') };
  return { ok: true, value: instance };
}

/** A throwing @Transform or custom validator: the same data would fail again. */
function failed(err: unknown): LcExtDtoOutcome {
  return { ok: false, error: err instanceof Error ? err.message : String(err) };
}

/** class-validator's messages, nested properties named by their path (`target.port must be...`). */
function messagesOf(errors: readonly ValidationError[], prefix: string): string[] {
  const out: string[] = [];
  for (const error of errors) {
    for (const message of Object.values(error.constraints ?? {})) {
      out.push(prefix === '' ? message : `${prefix}${message}`);
    }
    if (error.children !== undefined && error.children.length > 0) {
      out.push(...messagesOf(error.children, `${prefix}${error.property}.`));
    }
  }
  return out;
}
