import type { AgencyFamily, CloudEvent, Threshold } from '@mash/schema';

/**
 * Agency CloudEvents as a partnership's own source systems publish them (the shapes of `schema/events/*.json` and
 * their examples), for the demo stories and the end-to-end tests. Each builder takes the event id, the subject's
 * identifier in that agency's system and when it happened; the rest has plain defaults a test may override.
 */

export interface AgencyEvent {
  readonly family: AgencyFamily;
  /** The agency's own subject identifier: the Kafka key, so one subject's events stay in order. */
  readonly key: string;
  readonly event: CloudEvent;
}

/** A partnership's source systems by family (the shape of `Demo.sourceSystems` and `DemoLincolnshire.sourceSystems`). */
export interface PartnershipSourceSystems {
  readonly police: { readonly code: string };
  readonly laChildren: { readonly code: string };
  readonly health: { readonly code: string };
  readonly education: { readonly code: string };
}

type At = Date | string;
const iso = (at: At): string => new Date(at).toISOString();
/** The calendar date (YYYY-MM-DD, UTC) of an instant: what a school's register records. */
const dateOf = (at: At): string => iso(at).slice(0, 10);

export interface EventBase {
  /** The event id in its source system (unique per source). */
  readonly id: string;
  /** When it happened: the event's `time` and the data's own timestamp. */
  readonly at: At;
}

/** The builders of one partnership's events, from its own source systems. */
export function agencyEventsOf(systems: PartnershipSourceSystems) {
  const event = (
    family: AgencyFamily,
    code: string,
    type: string,
    base: EventBase,
    subject: { system: string; value: string },
    data: Record<string, unknown>,
  ): AgencyEvent => ({
    family,
    key: subject.value,
    event: {
      specversion: '1.0',
      id: base.id,
      source: `urn:mash:source:${code}`,
      type,
      time: iso(base.at),
      datacontenttype: 'application/json',
      data: { subject, ...data },
    },
  });
  const police = (
    type: string,
    base: EventBase & { policePersonId: string },
    data: Record<string, unknown>,
  ) =>
    event(
      'police',
      systems.police.code,
      `uk.mash.police.${type}.v1`,
      base,
      { system: 'police-person-id', value: base.policePersonId },
      data,
    );
  const la = (type: string, base: EventBase & { laPersonId: string }, data: Record<string, unknown>) =>
    event(
      'la-children',
      systems.laChildren.code,
      `uk.mash.la-children.${type}.v1`,
      base,
      { system: 'la-person-id', value: base.laPersonId },
      data,
    );

  return {
    police: {
      /** The threshold police judge the child's needs to meet, at a strategy discussion. */
      strategyDiscussionView: (e: EventBase & { policePersonId: string; threshold: Threshold }) =>
        police('strategy-discussion-view', e, {
          threshold: e.threshold,
          discussionAt: iso(e.at),
          incidentRef: `INC-${e.id}`,
        }),
      /** A DASH risk assessment: 14 or more ticks is high, 10 or more medium (SafeLives). */
      dashAssessment: (e: EventBase & { policePersonId: string; score: number }) =>
        police('dash-assessment', e, {
          score: e.score,
          level: e.score >= 14 ? 'high' : e.score >= 10 ? 'medium' : 'standard',
          incidentRef: `INC-${e.id}`,
        }),
      maracReferral: (e: EventBase & { policePersonId: string }) =>
        police('marac-referral', e, {
          referralRef: `MARAC-${e.id}`,
          referredAt: iso(e.at),
          criterion: 'visible-high-risk',
        }),
    },
    laChildren: {
      referralOutcome: (
        e: EventBase & {
          laPersonId: string;
          outcome:
            'no-further-action' | 'early-help' | 'child-in-need' | 'strategy-discussion' | 'child-protection';
        },
      ) =>
        la('referral-outcome', e, { referralRef: `REF-${e.id}`, outcome: e.outcome, decidedAt: iso(e.at) }),
      strategyDiscussionOutcome: (e: EventBase & { laPersonId: string; s47Started: boolean }) =>
        la('strategy-discussion-outcome', e, {
          discussionRef: `SD-${e.id}`,
          heldAt: iso(e.at),
          s47Started: e.s47Started,
        }),
      initialConferenceHeld: (e: EventBase & { laPersonId: string; planDecided: boolean }) =>
        la('initial-conference-held', e, {
          conferenceRef: `ICPC-${e.id}`,
          heldAt: iso(e.at),
          planDecided: e.planDecided,
        }),
      visitNoAccess: (e: EventBase & { laPersonId: string }) =>
        la('visit-no-access', e, { visitedAt: iso(e.at), visitRef: `VIS-${e.id}`, reason: 'no-answer' }),
    },
    health: {
      /** An appointment whose FHIR `Appointment.status` became `noshow`: was not brought, or did not attend. */
      appointmentNotAttended: (e: EventBase & { nhsNumber: string; wasNotBrought: boolean }) =>
        event(
          'health',
          systems.health.code,
          'uk.mash.health.appointment-not-attended.v1',
          e,
          { system: 'nhs-number', value: e.nhsNumber },
          {
            appointmentRef: `APT-${e.id}`,
            appointmentAt: iso(e.at),
            wasNotBrought: e.wasNotBrought,
            service: 'paediatrics',
          },
        ),
    },
    education: {
      /** An absence the school could not explain, on the calendar date of `at`. */
      unexplainedAbsence: (e: EventBase & { upn: string }) =>
        event(
          'education',
          systems.education.code,
          'uk.mash.education.unexplained-absence.v1',
          e,
          { system: 'upn', value: e.upn },
          { absenceDate: dateOf(e.at), sessionsMissed: 2 },
        ),
    },
  };
}

export type AgencyEvents = ReturnType<typeof agencyEventsOf>;
