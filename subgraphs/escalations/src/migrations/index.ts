import { EscalationsInit1763780000000 } from './1763780000000-escalations-init';
import { AddOutboxDeadLetter1796000000000 } from './1796000000000-add-outbox-dead-letter';
import { TimerWaitingByCase1797100000000 } from './1797100000000-timer-waiting-by-case';
import { TimerClaimedUntil1797200000000 } from './1797200000000-timer-claimed-until';
import { PeopleWorkTheEscalation1797400000000 } from './1797400000000-people-work-the-escalation';
import { EscalationByPartnershipRaised1797410000000 } from './1797410000000-escalation-by-partnership-raised';
import { OutboxValueJson1798000000000 } from './1798000000000-outbox-value-json';
import { OutboxRowsUncompressed1798100000000 } from './1798100000000-outbox-rows-uncompressed';
import { CaseSnapshotStorage1798200000000 } from './1798200000000-case-snapshot-storage';
import { CaseSnapshotSequence1798300000000 } from './1798300000000-case-snapshot-sequence';
import { CaseSnapshotJson1798700000000 } from './1798700000000-case-snapshot-json';

/** Every migration of the escalations schema, oldest first. */
export const migrations = [
  EscalationsInit1763780000000,
  AddOutboxDeadLetter1796000000000,
  TimerWaitingByCase1797100000000,
  TimerClaimedUntil1797200000000,
  PeopleWorkTheEscalation1797400000000,
  EscalationByPartnershipRaised1797410000000,
  OutboxValueJson1798000000000,
  OutboxRowsUncompressed1798100000000,
  CaseSnapshotStorage1798200000000,
  CaseSnapshotSequence1798300000000,
  CaseSnapshotJson1798700000000,
];
