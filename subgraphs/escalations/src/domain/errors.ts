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
