import { GraphQLError } from 'graphql';
import { ErrorCodes, type ErrorCode } from '@mash/schema';

/** A GraphQL error whose `extensions.code` comes from the registry, with its HTTP status. */
export class MashGraphQLError extends GraphQLError {
  readonly retriable: boolean;
  constructor(code: ErrorCode, message?: string, extra: Record<string, unknown> = {}) {
    const def = ErrorCodes[code];
    super(message ?? def.description, {
      extensions: { code: def.code, retriable: def.retriable, http: { status: def.httpStatus }, ...extra },
    });
    this.retriable = def.retriable;
  }
}

export class UnauthenticatedError extends MashGraphQLError {
  constructor(message = 'A valid bearer token is required.') {
    super('UNAUTHENTICATED', message);
  }
}

export class TokenExpiredError extends MashGraphQLError {
  constructor() {
    super('TOKEN_EXPIRED');
  }
}

export class IdentityProviderUnavailableError extends MashGraphQLError {
  constructor() {
    super('IDENTITY_PROVIDER_UNAVAILABLE');
  }
}

export class ForbiddenError extends MashGraphQLError {
  constructor(message = 'No need-to-know for this record.') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends MashGraphQLError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found.`);
  }
}

export class BadUserInputError extends MashGraphQLError {
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
  }
}

export class InvalidTransitionError extends MashGraphQLError {
  constructor(message: string) {
    super('INVALID_TRANSITION', message);
  }
}
