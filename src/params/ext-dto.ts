import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';

/** The DTO instance to hand to the handler, or class-validator's messages. */
export type LcExtDtoOutcome = { ok: true; value: object } | { ok: false; error: string };

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: false,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

/** Keys that would reach an instance's prototype machinery through class-transformer. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An Extension DTO (an action's params, the config): the wire object transformed with
 * class-transformer and validated with class-validator, every message kept.
 */
export class LcExtDto {
  constructor(readonly dto: Type<object>) {}

  async validate(data: Record<string, unknown>): Promise<LcExtDtoOutcome> {
    try {
      const plain: Record<string, unknown> = {};
      for (const key of Object.keys(data)) {
        if (!UNSAFE_KEYS.has(key)) plain[key] = data[key];
      }
      const instance = plainToInstance(this.dto, plain);
      const errors = await validate(instance, VALIDATOR_OPTIONS);
      if (errors.length > 0) return { ok: false, error: messagesOf(errors, '').join('; ') };
      return { ok: true, value: instance };
    } catch (err) {
      // A throwing @Transform or custom validator: the same data would fail again.
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
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
