import { buildMessage, isEmail, ValidateBy, type ValidationOptions } from 'class-validator';

/** A UTF-16 code unit with no partner, which `encodeURI` (inside `isEmail`) throws on. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * class-validator's `@IsEmail()`, except that a string that is not well-formed Unicode is simply
 * not an e-mail address: validator.js measures the local part with `encodeURI`, which throws
 * "URI malformed" on a lone surrogate, and a validator that throws is a 500, not a 400.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmail',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && !LONE_SURROGATE.test(value) && isEmail(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an email`, options),
      },
    },
    options,
  );
}
