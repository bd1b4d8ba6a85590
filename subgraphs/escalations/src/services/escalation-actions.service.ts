import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { PARTNER_AGENCY_TYPES, type CaseSnapshot, type Identity } from '@mash/schema';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import {
  allowed,
  BadUserInputError,
  InvalidTransitionError,
  isUuid,
  MashGraphQLError,
  NotFoundError,
  ServiceCallError,
  type AccessDecision,
  type AgencyDirectory,
  type AuditRecorder,
} from '@mash/service-kit';
import { calendarFor } from '../domain/calendars';
import { EscalationInputError, EscalationTransitionError } from '../domain/errors';
import { acknowledge, advance, raiseByPerson, redirect, resolve } from '../domain/escalation';
import {
  conveneResolutionPanel,
  recordLearning,
  recordMeeting,
  recordPanelDecision,
} from '../domain/escalation-records';
import {
  IMMEDIATE_RISK_REMINDER,
  type Clock,
  type EscalationGround,
  type EscalationOutcome,
  type EscalationState,
  type Participant,
  type RedirectRoute,
} from '../domain/model';
import { DB_SCHEMA } from '../entities/schema-name';
import { EscalationEntity } from '../entities/escalation.entity';
import { armStageTimer, rearmStageTimer } from '../jobs/stage-deadline-timer';
import {
  insertLearning,
  insertMeeting,
  insertPanel,
  insertPanelDecision,
  panelsOf,
} from '../repositories/escalation-records.repository';
import {
  appendTransition,
  findOpenEscalation,
  insertEscalation,
  lockEscalation,
  toEntity,
  toState,
  updateEscalation,
} from '../repositories/escalation.repository';
import { stageHistory } from '../repositories/stage-history.repository';
import { assertMaySeeEscalations, maySeeEscalations, NO_PERSONAL_DATA, readDecision } from './access';
import {
  acknowledgeDecision,
  advanceDecision,
  chairDecision,
  raiseDecision,
  recordDecision,
  resolveDecision,
} from './action-access';
import type { ContactDirectory } from './contact-directory';
import { escalationEvent } from './escalation-events';
import { partnershipReference, type PartnershipReference } from './reference-data';

export interface EscalationActionDeps {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** Partnerships' policies and agencies (the agencies subgraph). */
  readonly directory: AgencyDirectory;
  /** The professionals' directory (the contacts subgraph). */
  readonly contacts: ContactDirectory;
  /** The escalation-events topic. */
  readonly topic: string;
  /** Called after a commit that enqueued events (wake the outbox relay) and maybe armed a timer. */
  readonly afterCommit?: () => void;
}

export interface RaiseRequest {
  readonly caseId: string;
  readonly ground: EscalationGround;
  readonly receivingAgencyId: string;
  readonly reason: string;
  readonly immediateRisk: boolean;
  readonly startStage?: number | null;
}

export interface Raised {
  readonly escalation: EscalationEntity;
  /** At immediate risk: emergency action comes first. Null otherwise. */
  readonly emergencyReminder: string | null;
}

export interface MeetingRequest {
  readonly heldAt: Date;
  readonly participants: readonly Participant[];
  readonly agreed: string;
}

export interface OutcomeRequest {
  readonly outcome: EscalationOutcome;
  readonly outstandingIssues: string;
  readonly rationale: string;
}

/** What a move needs besides the locked row: reference data read before the transaction. */
interface Prepared {
  readonly reference?: PartnershipReference;
  /** Contact id → agency id, for every contact of the partnership's agencies. */
  readonly agencyOf?: ReadonlyMap<string, string>;
  /** Agency ids with at least one contact. */
  readonly withContacts?: ReadonlySet<string>;
}

/** What a move wrote: the escalation as it now stands, and the events to publish with it. */
interface Done {
  readonly escalation: EscalationState;
  readonly events: readonly OutboxMessage[];
}

/**
 * The moves people make on an escalation through the gateway (docs/DOMAIN.md#the-escalation-process): raise,
 * acknowledge, record a meeting, advance, resolve, redirect, capture learning, and at the last stage a resolution
 * panel and its decision. Each is authorised by role, agency and stage (`action-access.ts`, decisions recorded in
 * the audit trail), decided by the pure state machine (`domain/escalation.ts`), and written in one transaction with
 * its history entry or record and its escalation event in the outbox. A refused move changes nothing.
 */
export class EscalationActionService {
  constructor(private readonly deps: EscalationActionDeps) {}

  /** A caseworker raises an escalation by hand; at immediate risk the answer reminds that emergency action comes first. */
  async raise(identity: Identity, request: RaiseRequest, audit: AuditRecorder): Promise<Raised> {
    const caseTarget = { recordType: 'Case', recordId: request.caseId };
    if (!maySeeEscalations(identity)) audit.check(caseTarget, 'write', NO_PERSONAL_DATA);
    const snapshot = await this.caseSnapshot(request.caseId);
    if (!snapshot) throw new NotFoundError(`Case ${request.caseId}`);
    const decision = raiseDecision(identity, {
      partnershipId: snapshot.partnershipId,
      involvedAgencyIds: snapshot.involvements.map((i) => i.agencyId),
    });
    audit.check(caseTarget, 'write', decision);
    const reference = await this.reference(snapshot.partnershipId);
    const receiving = reference.agencies.find((a) => a.id === request.receivingAgencyId);
    if (!receiving || !(PARTNER_AGENCY_TYPES as readonly string[]).includes(receiving.type)) {
      throw new BadUserInputError(
        `Agency ${request.receivingAgencyId} is not a partner agency of the partnership: an escalation is ` +
          "received by one of the partnership's agencies.",
        'receivingAgencyId',
      );
    }
    const at = this.deps.clock.now();
    const { escalation, transition } = decided(() =>
      raiseByPerson(
        {
          id: randomUUID(),
          caseId: snapshot.id,
          partnershipId: snapshot.partnershipId,
          ground: request.ground,
          raisingAgencyId: identity.agencyId!,
          receivingAgencyId: request.receivingAgencyId,
          at,
          reason: request.reason,
          raisedBy: identity.subject,
          immediateRisk: request.immediateRisk,
          ...(request.startStage !== undefined &&
            request.startStage !== null && { startStage: request.startStage }),
        },
        reference.policy,
        calendarFor(reference.policy.calendar),
      ),
    );
    await this.deps.dataSource.transaction(async (m) => {
      if (!(await insertEscalation(m, escalation))) {
        const open = await findOpenEscalation(m, escalation);
        throw new InvalidTransitionError(
          `An escalation on this ground between these agencies is already open for the case` +
            `${open ? ` (${open.id})` : ''}: record a meeting on it, or advance it.`,
        );
      }
      await appendTransition(m, escalation.id, transition);
      await armStageTimer(m, escalation);
      await enqueueOutbox(m, DB_SCHEMA, [escalationEvent(this.deps.topic, 'raised', escalation, transition)]);
    });
    this.deps.afterCommit?.();
    const target = { recordType: 'Escalation', recordId: escalation.id };
    audit.record(target, 'write', allowed(decision.ground));
    audit.check(target, 'read', readDecision(identity, escalation));
    return {
      escalation: toEntity(escalation),
      emergencyReminder: escalation.immediateRisk ? IMMEDIATE_RISK_REMINDER : null,
    };
  }

  /** The owners of the current stage in the receiving agency take it up. */
  acknowledge(
    identity: Identity,
    id: string,
    rationale: string,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, acknowledgeDecision, noPreparation, async (m, row, at) =>
      this.moved(
        m,
        'acknowledged',
        decided(() => acknowledge(toState(row), { at, actor: identity.subject, rationale })),
      ),
    );
  }

  /**
   * A discussion or meeting: who took part, when, what was agreed. The first meeting at a stage may move the
   * current stage's anchored deadline; its timer is moved with it and the history says why.
   */
  recordMeeting(
    identity: Identity,
    id: string,
    request: MeetingRequest,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, recordDecision, this.withDirectory, async (m, row, at, prep) => {
      const { policy } = prep.reference!;
      const history = await stageHistory(m, row.id);
      const recorded = decided(() =>
        recordMeeting(
          toState(row),
          { at, actor: identity.subject, ...request },
          prep.agencyOf!,
          policy,
          calendarFor(policy.calendar),
          history,
        ),
      );
      const { meeting, escalation, deadlineMoved } = recorded;
      await insertMeeting(m, row.id, meeting);
      let note = '';
      if (deadlineMoved) {
        note =
          ` The first meeting at stage ${meeting.stage} moved the stage ${escalation.stage} deadline from ` +
          `${deadlineMoved.from?.toISOString() ?? 'none'} to ${deadlineMoved.to?.toISOString() ?? 'none'}.` +
          (deadlineMoved.explanation ? ` ${deadlineMoved.explanation}` : '');
        await updateEscalation(m, escalation);
        await appendTransition(m, row.id, {
          at,
          fromStage: escalation.stage,
          toStage: escalation.stage,
          fromStatus: escalation.status,
          toStatus: escalation.status,
          actor: identity.subject,
          rationale: note.trim(),
        });
        await rearmStageTimer(m, escalation);
      }
      const rationale =
        `Meeting held at ${meeting.heldAt.toISOString()} (stage ${meeting.stage}), ` +
        `${meeting.participants.length} taking part: ${meeting.agreed}${note}`;
      return {
        escalation,
        events: [
          escalationEvent(this.deps.topic, 'meeting-recorded', escalation, {
            at,
            actor: identity.subject,
            rationale,
          }),
        ],
      };
    });
  }

  /** The owners of the current stage in either agency move it to the next stage, with a rationale. */
  advance(
    identity: Identity,
    id: string,
    rationale: string,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, advanceDecision, this.withPolicy, async (m, row, at, prep) => {
      const { policy } = prep.reference!;
      const history = await stageHistory(m, row.id);
      const moved = decided(() =>
        advance(
          toState(row),
          { at, actor: identity.subject, rationale },
          policy,
          calendarFor(policy.calendar),
          history,
        ),
      );
      await this.write(m, moved.escalation, moved.transition);
      await armStageTimer(m, moved.escalation);
      return {
        escalation: moved.escalation,
        events: [
          escalationEvent(this.deps.topic, 'stage-advanced', moved.escalation, {
            ...moved.transition,
            cause: 'person',
          }),
        ],
      };
    });
  }

  /** The outcome, how outstanding issues will be pursued, and why: closes the escalation. */
  resolve(
    identity: Identity,
    id: string,
    request: OutcomeRequest,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, resolveDecision, noPreparation, async (m, row, at) =>
      this.moved(
        m,
        'resolved',
        decided(() => resolve(toState(row), { at, actor: identity.subject, ...request })),
      ),
    );
  }

  /** Not an escalation between agencies: recorded and redirected to another route, which closes it. */
  redirect(
    identity: Identity,
    id: string,
    route: RedirectRoute,
    rationale: string,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, recordDecision, noPreparation, async (m, row, at) =>
      this.moved(
        m,
        'redirected',
        decided(() => redirect(toState(row), { at, actor: identity.subject, route, rationale })),
      ),
    );
  }

  /** Learning (and a debrief) once the escalation is resolved or redirected. */
  recordLearning(
    identity: Identity,
    id: string,
    learning: string,
    debrief: string | null | undefined,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, recordDecision, noPreparation, async (m, row, at) => {
      const state = toState(row);
      const record = decided(() => recordLearning(state, { at, actor: identity.subject, learning, debrief }));
      await insertLearning(m, row.id, record);
      const rationale = `Learning recorded: ${record.learning}${record.debrief ? ` Debrief: ${record.debrief}` : ''}`;
      return {
        escalation: state,
        events: [
          escalationEvent(this.deps.topic, 'learning-recorded', state, {
            at,
            actor: identity.subject,
            rationale,
          }),
        ],
      };
    });
  }

  /** The partnership chair convenes a resolution panel at the last stage. */
  convenePanel(
    identity: Identity,
    id: string,
    members: readonly Participant[],
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, chairDecision, this.withDirectory, async (m, row, at, prep) => {
      const { policy, agencies } = prep.reference!;
      const state = toState(row);
      const [existing] = await panelsOf(m, [row.id]);
      const partners = agencies.filter((a) => (PARTNER_AGENCY_TYPES as readonly string[]).includes(a.type));
      const panel = decided(() =>
        conveneResolutionPanel(
          state,
          { at, actor: identity.subject, members },
          {
            agencyOf: prep.agencyOf!,
            agencies: new Map(partners.map((a) => [a.id, a.name])),
            disputingWithContacts: new Set(
              [state.raisingAgencyId, state.receivingAgencyId].filter((a) => prep.withContacts!.has(a)),
            ),
          },
          policy,
          existing ?? null,
        ),
      );
      await insertPanel(m, row.id, panel);
      const names = [
        ...new Set(panel.members.map((p) => agencies.find((a) => a.id === p.agencyId)?.name ?? p.agencyId)),
      ];
      const rationale = `Resolution panel convened with representatives of ${names.join(', ')}.`;
      return {
        escalation: state,
        events: [
          escalationEvent(this.deps.topic, 'panel-convened', state, {
            at,
            actor: identity.subject,
            rationale,
          }),
        ],
      };
    });
  }

  /**
   * The chair records the panel's decision, which resolves the escalation with the decision as its outcome. One
   * event, `panel-decided`, whose status says the escalation is resolved.
   */
  recordPanelDecision(
    identity: Identity,
    id: string,
    request: OutcomeRequest,
    audit: AuditRecorder,
  ): Promise<EscalationEntity> {
    return this.act(identity, id, audit, chairDecision, noPreparation, async (m, row, at) => {
      const [panel] = await panelsOf(m, [row.id]);
      const { decision, moved } = decided(() =>
        recordPanelDecision(toState(row), panel ?? null, { at, actor: identity.subject, ...request }),
      );
      await insertPanelDecision(m, row.id, decision);
      await this.write(m, moved.escalation, moved.transition);
      return {
        escalation: moved.escalation,
        events: [escalationEvent(this.deps.topic, 'panel-decided', moved.escalation, moved.transition)],
      };
    });
  }

  private readonly withPolicy = async (row: EscalationEntity): Promise<Prepared> => ({
    reference: await this.reference(row.partnershipId),
  });

  /** The partnership's reference data and its whole directory: who works for which agency. */
  private readonly withDirectory = async (row: EscalationEntity): Promise<Prepared> => {
    const reference = await this.reference(row.partnershipId);
    const lists = await unavailableAs('contacts', () =>
      this.deps.contacts.contactsOf(reference.agencies.map((a) => a.id)),
    );
    const agencyOf = new Map<string, string>();
    const withContacts = new Set<string>();
    for (const [agencyId, contacts] of lists) {
      if (contacts.length > 0) withContacts.add(agencyId);
      for (const c of contacts) agencyOf.set(c.id, c.agencyId);
    }
    return { reference, agencyOf, withContacts };
  };

  /**
   * One move: the caller may see escalations; the escalation exists; the read and the write are allowed (both
   * recorded); reference data is read before the transaction; then, with the escalation locked, the write rule is
   * checked again on the row as it now stands, the move decided and written with its events.
   */
  private async act(
    identity: Identity,
    id: string,
    audit: AuditRecorder,
    rule: (identity: Identity, e: EscalationEntity) => AccessDecision,
    prepare: (row: EscalationEntity) => Promise<Prepared>,
    work: (m: EntityManager, row: EscalationEntity, at: Date, prep: Prepared) => Promise<Done>,
  ): Promise<EscalationEntity> {
    const target = { recordType: 'Escalation', recordId: id };
    if (!maySeeEscalations(identity)) audit.check(target, 'write', NO_PERSONAL_DATA);
    assertMaySeeEscalations(identity);
    const peek = isUuid(id)
      ? await this.deps.dataSource.getRepository(EscalationEntity).findOneBy({ id })
      : null;
    if (!peek) throw new NotFoundError(`Escalation ${id}`);
    audit.check(target, 'read', readDecision(identity, peek));
    audit.check(target, 'write', rule(identity, peek));
    const prep = await prepare(peek);
    const at = this.deps.clock.now();
    const done = await this.deps.dataSource.transaction(async (m) => {
      const row = (await lockEscalation(m, id))!;
      audit.check(target, 'write', rule(identity, row));
      const result = await work(m, row, at, prep);
      await enqueueOutbox(m, DB_SCHEMA, [...result.events]);
      return result;
    });
    this.deps.afterCommit?.();
    return toEntity(done.escalation);
  }

  /** Writes a move (state and history) and gives its event. */
  private async moved(
    m: EntityManager,
    type: 'acknowledged' | 'resolved' | 'redirected',
    moved: {
      readonly escalation: EscalationState;
      readonly transition: Parameters<typeof appendTransition>[2];
    },
  ): Promise<Done> {
    await this.write(m, moved.escalation, moved.transition);
    return {
      escalation: moved.escalation,
      events: [escalationEvent(this.deps.topic, type, moved.escalation, moved.transition)],
    };
  }

  private async write(
    m: EntityManager,
    escalation: EscalationState,
    transition: Parameters<typeof appendTransition>[2],
  ): Promise<void> {
    await updateEscalation(m, escalation);
    await appendTransition(m, escalation.id, transition);
  }

  private reference(partnershipId: string): Promise<PartnershipReference> {
    return unavailableAs('agencies', () => partnershipReference(this.deps.directory, partnershipId));
  }

  private async caseSnapshot(caseId: string): Promise<CaseSnapshot | null> {
    const [row] = (await this.deps.dataSource.query(
      `SELECT "snapshot" FROM "${DB_SCHEMA}"."case_snapshot" WHERE "case_id" = $1`,
      [caseId],
    )) as { snapshot: CaseSnapshot }[];
    return row?.snapshot ?? null;
  }
}

const noPreparation = (): Promise<Prepared> => Promise.resolve({});

/** Runs the state machine, answering its refusals with their codes: INVALID_TRANSITION, BAD_USER_INPUT. */
function decided<T>(decide: () => T): T {
  try {
    return decide();
  } catch (err) {
    if (err instanceof EscalationTransitionError) throw new InvalidTransitionError(err.message);
    if (err instanceof EscalationInputError) throw new BadUserInputError(err.message, err.field);
    throw err;
  }
}

/** A call to another subgraph that fails answers SUBGRAPH_UNAVAILABLE (retriable), naming no address. */
async function unavailableAs<T>(subgraph: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ServiceCallError) {
      throw new MashGraphQLError(
        'SUBGRAPH_UNAVAILABLE',
        `The ${subgraph} directory did not answer; try again.`,
      );
    }
    throw err;
  }
}
