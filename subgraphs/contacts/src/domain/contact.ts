import type { Role } from '@mash/schema';

/** A named professional in the partnership directory. Its id is what that person's JWT `sub` carries. */
export interface ContactRecord {
  readonly id: string;
  readonly partnershipId: string;
  readonly agencyId: string;
  readonly name: string;
  readonly role: Role;
  readonly team: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  /** Reports-to; null at the top of an agency's chain. */
  readonly managerId: string | null;
  /** Covering the duty rota now: routed to before colleagues in the same role. */
  readonly onDutyCover: boolean;
}
