import { Demo } from '@mash/schema';
import { demoPolicy } from '@mash/agencies';
import { agenciesOnDatabase } from '@test/support/fixtures/agencies';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('reference data read by people: partnerships, agencies and source systems', () => {
  const h = agenciesOnDatabase();

  it('serves the demo partnership with its policy document, typed policy and agencies', async () => {
    const result = await h.graphql<{
      partnership: {
        id: string;
        name: string;
        kind: string;
        policyDocument: unknown;
        escalationPolicy: {
          stages: {
            stage: number;
            ownerRoles: string[];
            timescale: { amount: number; unit: string } | null;
          }[];
          thresholdDisagreement: { minimumSteps: number; gracePeriod: { amount: number; unit: string } };
        };
        agencies: { id: string; name: string; type: string; partnership: { id: string } }[];
      };
    }>(
      `
        query ($id: ID!) {
          partnership(id: $id) {
            id
            name
            kind
            policyDocument
            escalationPolicy {
              stages {
                stage
                ownerRoles
                timescale {
                  amount
                  unit
                }
                immediateRiskTimescale {
                  amount
                  unit
                }
              }
              thresholdDisagreement {
                enabled
                minimumSteps
                highRiskNoFurtherAction
                gracePeriod {
                  amount
                  unit
                }
              }
            }
            agencies {
              id
              name
              type
              partnership {
                id
              }
            }
          }
        }
      `,
      { id: Demo.partnershipId },
    );
    expect(result.errors).toBeUndefined();
    const partnership = result.data?.partnership;
    expect(partnership).toMatchObject({
      id: Demo.partnershipId,
      name: 'MK Together Safeguarding Partnership',
    });
    expect(partnership?.kind).toBe('LSCP');
    expect(partnership?.policyDocument).toEqual(demoPolicy());
    expect(partnership?.escalationPolicy.stages.map((s) => s.timescale)).toEqual([
      { amount: 7, unit: 'calendar-days' },
      { amount: 5, unit: 'working-days' },
      { amount: 10, unit: 'calendar-days' },
      null,
    ]);
    expect(partnership?.escalationPolicy.thresholdDisagreement).toMatchObject({
      minimumSteps: 2,
      gracePeriod: { amount: 1, unit: 'working-days' },
    });
    // By name, in the database's collation; compare as a set so the test does not depend on it.
    expect(partnership?.agencies.map((a) => [a.name, a.type]).sort()).toEqual([
      ['MK Together Business Unit', 'PARTNERSHIP_BUSINESS_UNIT'],
      ['Milton Keynes Council Adult Social Care', 'LA_ADULTS'],
      ["Milton Keynes Council Children's Services", 'LA_CHILDREN'],
      ['Milton Keynes Education Safeguarding', 'EDUCATION'],
      ['Milton Keynes University Hospital', 'HEALTH'],
      ['Thames Valley Police', 'POLICE'],
    ]);
    expect(new Set(partnership?.agencies.map((a) => a.partnership.id))).toEqual(
      new Set([Demo.partnershipId]),
    );
  });

  it("lists an agency's source systems with their family and identifier system", async () => {
    const result = await h.graphql<{
      agency: { name: string; sourceSystems: { code: string; family: string; identifierSystem: string }[] };
    }>(
      `
        query ($id: ID!) {
          agency(id: $id) {
            name
            sourceSystems {
              code
              family
              identifierSystem
            }
          }
        }
      `,
      {
        id: Demo.agencies.laChildren,
      },
    );
    expect(result.data?.agency).toEqual({
      name: "Milton Keynes Council Children's Services",
      sourceSystems: [{ code: 'mk-lcs', family: 'la-children', identifierSystem: 'la-person-id' }],
    });
  });

  it('answers null for an unknown or malformed id rather than failing', async () => {
    const result = await h.graphql<{ partnership: null; agency: null }>(`
      {
        partnership(id: "00000000-0000-4000-8000-000000000000") {
          id
        }
        agency(id: "not-a-uuid") {
          id
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ partnership: null, agency: null });
  });
});
