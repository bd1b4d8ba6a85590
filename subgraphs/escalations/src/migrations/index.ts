import { EscalationsInit1763780000000 } from './1763780000000-escalations-init';

/** Every migration of the escalations schema, oldest first. */
export const migrations = [EscalationsInit1763780000000];
