import { Demo, type AgencyFamily, type CloudEvent } from '@mash/schema';

export interface AgencyEvent {
  readonly family: AgencyFamily;
  /** The agency's own subject identifier: the Kafka key, so one subject's events stay in order. */
  readonly key: string;
  readonly event: CloudEvent;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The demo story, as the two agencies' systems publish it: Children's Services close a police referral about
 * Child A with no further action; a week later police, at a strategy discussion, judge the child protection
 * threshold met. Dated in the past, so the disagreement has outlasted its grace period by the time it arrives.
 */
export function thresholdDisagreementEvents(now = new Date(), suffix = 'demo'): AgencyEvent[] {
  const nfaAt = new Date(now.getTime() - 10 * DAY).toISOString();
  const viewAt = new Date(now.getTime() - 3 * DAY).toISOString();
  return [
    {
      family: 'la-children',
      key: Demo.subject.laPersonId,
      event: {
        specversion: '1.0',
        id: `lcs-referral-outcome-${suffix}-1`,
        source: `urn:mash:source:${Demo.sourceSystems.laChildren.code}`,
        type: 'uk.mash.la-children.referral-outcome.v1',
        time: nfaAt,
        datacontenttype: 'application/json',
        data: {
          subject: { system: 'la-person-id', value: Demo.subject.laPersonId },
          referralRef: 'REF-2026-00417',
          outcome: 'no-further-action',
          decidedAt: nfaAt,
        },
      },
    },
    {
      family: 'police',
      key: Demo.subject.policePersonId,
      event: {
        specversion: '1.0',
        id: `niche-strategy-view-${suffix}-1`,
        source: `urn:mash:source:${Demo.sourceSystems.police.code}`,
        type: 'uk.mash.police.strategy-discussion-view.v1',
        time: viewAt,
        datacontenttype: 'application/json',
        data: {
          subject: { system: 'police-person-id', value: Demo.subject.policePersonId },
          threshold: 'child-protection',
          discussionAt: viewAt,
          incidentRef: 'TVP-INC-26-88213',
        },
      },
    },
  ];
}
