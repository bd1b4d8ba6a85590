import { CaseSnapshotEntity } from './case-snapshot.entity';
import { EscalationEvidenceEntity } from './escalation-evidence.entity';
import { EscalationTransitionEntity } from './escalation-transition.entity';
import { EscalationEntity } from './escalation.entity';
import { InboxEntity } from './inbox.entity';
import { TimerEntity } from './timer.entity';

export const entities = [
  EscalationEntity,
  EscalationEvidenceEntity,
  EscalationTransitionEntity,
  CaseSnapshotEntity,
  InboxEntity,
  TimerEntity,
];
