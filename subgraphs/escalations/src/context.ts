import DataLoader from 'dataloader';
import type { RequestContext } from '@mash/service-kit';
import type { EscalationTransitionEntity } from './escalation-transition.entity';
import type { EscalationEntity } from './escalation.entity';
import type { EscalationService } from './escalation.service';

/** Per-request batch loaders, so a page of escalations costs one query per kind of data. */
export interface EscalationLoaders {
  readonly escalation: DataLoader<string, EscalationEntity | null>;
  readonly escalationsOfCase: DataLoader<string, EscalationEntity[]>;
  readonly evidence: DataLoader<string, string[]>;
  readonly history: DataLoader<string, EscalationTransitionEntity[]>;
}

/** What the escalations resolvers see: the verified caller, the service, and this request's loaders. */
export interface EscalationsContext extends RequestContext {
  readonly escalations: EscalationService;
  readonly loaders: EscalationLoaders;
}

export function createLoaders(service: EscalationService): EscalationLoaders {
  return {
    escalation: new DataLoader((ids) => service.byIds(ids)),
    escalationsOfCase: new DataLoader((ids) => service.byCaseIds(ids)),
    evidence: new DataLoader((ids) => service.evidence(ids)),
    history: new DataLoader((ids) => service.history(ids)),
  };
}
