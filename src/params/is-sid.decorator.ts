import { buildMessage, isUUID, ValidateBy, type ValidationOptions } from 'class-validator';

/** The constraint name class-validator reports for `@IsSid()`. */
export const IS_SID = 'isSid';

/**
 * A LimaCharlie sensor id: a UUID of any version, accepted exactly like the `sid` type of
 * `setRequestParameters`, so the DTO and the dict paths agree.
 */
export function isSid(value: unknown): value is string {
  return typeof value === 'string' && isUUID(value, 'loose');
}

/** A class-validator decorator for a sensor id; LimaCharlie's form shows a sensor picker for it. */
export function IsSid(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_SID,
      validator: {
        validate: (value) => isSid(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a sensor id (a UUID)`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
