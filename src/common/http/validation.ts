import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '../errors/domain-error';
import { NUL_MESSAGE, nulPath } from './nul';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ path, message: message.replace(/^property \S+ should not exist$/, 'is not a known field') });
    }
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}

/** What a schema-checked input class answers: the checked value, or the field errors. */
export type InputCheck = (
  value: unknown,
) => { ok: true; value: unknown } | { ok: false; errors: FieldError[] };
const INPUT_CHECK = Symbol('inputCheck');

/**
 * Marks an input class whose rules live in a schema (a feature's zod schema) instead of
 * class-validator decorators: the pipe hands the value to `check` and passes on what it returns.
 * The class itself stays the documented shape (OpenAPI, GraphQL input type).
 */
export function CheckedBy(check: InputCheck): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, INPUT_CHECK, { value: check });
  };
}

/**
 * The parameter kinds that carry client input: REST bodies, query strings and path parameters,
 * and GraphQL arguments (@nestjs/graphql's GqlParamtype.ARGS, which it does not export). Not
 * the others (a GraphQL parent, context or info; custom decorators such as the caller's key).
 */
const CLIENT_INPUT = new Set<unknown>(['body', 'query', 'param', 3]);

/**
 * The global pipe: every REST body, query and path parameter and every GraphQL argument passes
 * it, whichever transport it came by (GraphQL string literals included), so this is the one
 * place text with a NUL character is refused.
 */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (CLIENT_INPUT.has(metadata.type)) {
      const path = nulPath(value, metadata.data ?? '');
      if (path !== null) throw DomainError.validation([{ path, message: NUL_MESSAGE }]);
      const check = (metadata.metatype as { [INPUT_CHECK]?: InputCheck } | undefined)?.[INPUT_CHECK];
      if (check) {
        const checked = check(value);
        if (!checked.ok) throw DomainError.validation(checked.errors);
        return checked.value;
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * One validation pipe for REST bodies, queries and GraphQL arguments: text with NUL characters
 * and unknown fields are refused (no mass assignment), values are converted only where the type
 * says so.
 */
export function createValidationPipe(): ValidationPipe {
  return new InputPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
  });
}
