/**
 * A move the escalation state machine does not allow from the current state. Plain domain error: the GraphQL
 * layer maps it to INVALID_TRANSITION.
 */
export class EscalationTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EscalationTransitionError';
  }
}

/**
 * An argument the state machine refuses whatever the state (a blank rationale, a meeting in the future, a panel
 * without three agencies). Plain domain error: the GraphQL layer maps it to BAD_USER_INPUT on `field`.
 */
export class EscalationInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'EscalationInputError';
  }
}
