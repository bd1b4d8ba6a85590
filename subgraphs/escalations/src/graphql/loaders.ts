import DataLoader from 'dataloader';
import type { EscalationLearning, EscalationMeeting, ResolutionPanel } from '../domain/model';
import type { EscalationTransitionEntity } from '../entities/escalation-transition.entity';
import type { EscalationEntity } from '../entities/escalation.entity';
import type { EscalationService } from '../services/escalation.service';

/** Per-request batch loaders, so a page of escalations costs one query per kind of data. */
export interface EscalationLoaders {
  readonly escalation: DataLoader<string, EscalationEntity | null>;
  readonly escalationsOfCase: DataLoader<string, EscalationEntity[]>;
  readonly evidence: DataLoader<string, string[]>;
  readonly history: DataLoader<string, EscalationTransitionEntity[]>;
  readonly meetings: DataLoader<string, EscalationMeeting[]>;
  readonly learning: DataLoader<string, EscalationLearning[]>;
  readonly panel: DataLoader<string, ResolutionPanel | null>;
}

export function createLoaders(service: EscalationService): EscalationLoaders {
  return {
    escalation: new DataLoader((ids) => service.byIds(ids)),
    escalationsOfCase: new DataLoader((ids) => service.byCaseIds(ids)),
    evidence: new DataLoader((ids) => service.evidence(ids)),
    history: new DataLoader((ids) => service.history(ids)),
    meetings: new DataLoader((ids) => service.meetings(ids)),
    learning: new DataLoader((ids) => service.learning(ids)),
    panel: new DataLoader((ids) => service.panels(ids)),
  };
}
