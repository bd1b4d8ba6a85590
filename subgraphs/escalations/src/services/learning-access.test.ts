import type { Identity } from '@mash/schema';
import { AuditRecorder } from '@mash/service-kit';
import { checkLearning, learningDecision } from './learning-access';

const who = (roles: Identity['roles'], extra: Partial<Identity> = {}): Identity => ({
  subject: 'someone',
  roles,
  ...extra,
});

const NOT_OVERSIGHT = 'refused:not-partnership-oversight';
const NO_ROLE = 'refused:no-personal-data-role';

describe("who reads a partnership's learning", () => {
  const cases: [string, string, Identity][] = [
    ['its chair', 'partnership-oversight', who(['partnership-chair'], { partnershipId: 'p-1' })],
    [
      'its MASH officer',
      'partnership-oversight',
      who(['mash-officer'], { agencyId: 'la', partnershipId: 'p-1' }),
    ],
    ['a practitioner', NOT_OVERSIGHT, who(['practitioner'], { agencyId: 'police', partnershipId: 'p-1' })],
    ['a head of service', NOT_OVERSIGHT, who(['head-of-service'], { agencyId: 'la', partnershipId: 'p-1' })],
    ['a LADO', NOT_OVERSIGHT, who(['lado'], { agencyId: 'la', partnershipId: 'p-1' })],
    ["another partnership's chair", NOT_OVERSIGHT, who(['partnership-chair'], { partnershipId: 'p-2' })],
    ["another partnership's MASH officer", NOT_OVERSIGHT, who(['mash-officer'], { partnershipId: 'p-2' })],
    ['a chair whose token names no partnership', NOT_OVERSIGHT, who(['partnership-chair'])],
    ['an auditor', NO_ROLE, who(['auditor'], { partnershipId: 'p-1' })],
    [
      'an agency integrator',
      NO_ROLE,
      who(['agency-integrator'], { agencyId: 'police', partnershipId: 'p-1' }),
    ],
    [
      'an integrator also claiming the chair',
      NO_ROLE,
      who(['agency-integrator', 'partnership-chair'], { partnershipId: 'p-1' }),
    ],
    ['a platform service', NO_ROLE, who(['service'], { subject: 'service:cases', partnershipId: 'p-1' })],
  ];
  it.each(cases)('%s: decided on ground %s', (_who, ground, identity) => {
    expect(learningDecision(identity, 'p-1')).toMatchObject({
      allowed: ground === 'partnership-oversight',
      ground,
    });
  });

  it('records a refusal and answers FORBIDDEN', () => {
    const audit = new AuditRecorder(
      'escalations',
      who(['practitioner'], { agencyId: 'police', partnershipId: 'p-1' }),
      'r-1',
    );
    let code: unknown;
    try {
      checkLearning(audit, 'p-1');
    } catch (err) {
      code = (err as { extensions?: { code?: unknown } }).extensions?.code;
    }
    expect(code).toBe('FORBIDDEN');
    expect(audit.take()).toEqual([
      expect.objectContaining({
        recordType: 'EscalationLearning',
        recordId: 'p-1',
        action: 'read',
        outcome: 'refused',
        ground: 'refused:not-partnership-oversight',
        actor: 'someone',
      }),
    ]);
  });

  it('records nothing for an allowed read: the figures are not personal data', () => {
    const audit = new AuditRecorder(
      'escalations',
      who(['partnership-chair'], { partnershipId: 'p-1' }),
      'r-2',
    );
    expect(() => checkLearning(audit, 'p-1')).not.toThrow();
    expect(audit.size).toBe(0);
  });
});
