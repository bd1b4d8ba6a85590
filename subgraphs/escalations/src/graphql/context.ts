import type { RequestContext } from '@mash/service-kit';
import type { LearningRepository } from '../repositories/learning.repository';
import type { EscalationActionService } from '../services/escalation-actions.service';
import type { EscalationService } from '../services/escalation.service';
import type { EscalationLoaders } from './loaders';

/** What the escalations resolvers see: the verified caller, the services, and this request's loaders. */
export interface EscalationsContext extends RequestContext {
  readonly escalations: EscalationService;
  readonly actions: EscalationActionService;
  readonly loaders: EscalationLoaders;
  /** The partnership's learning figures (read-only). */
  readonly learning: LearningRepository;
}
