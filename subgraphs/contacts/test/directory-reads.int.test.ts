import { Demo } from '@mash/schema';
import { contactsOnDatabase, tokens } from '@test/support/fixtures/contacts';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('the directory: colleagues, manager chains, reports and entity references', () => {
  const h = contactsOnDatabase();

  it('shows a practitioner a colleague with their manager chain and reports', async () => {
    const result = await h.graphql<{
      contact: {
        name: string;
        role: string;
        phone: string;
        email: string;
        agency: { id: string };
        manager: { name: string; manager: { name: string; manager: null } };
        reports: unknown[];
      };
    }>(
      `
        query ($id: ID!) {
          contact(id: $id) {
            name
            role
            phone
            email
            agency {
              id
            }
            manager {
              name
              manager {
                name
                manager {
                  name
                }
              }
            }
            reports {
              name
            }
          }
        }
      `,
      { id: Demo.contacts.policePractitioner },
      tokens.policePractitioner,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.contact).toEqual({
      name: 'Aisha Rahman',
      role: 'practitioner',
      phone: '07700 900101',
      email: 'aisha.rahman@police.example.org',
      agency: { id: Demo.agencies.police },
      manager: { name: 'Tom Hargreaves', manager: { name: 'Mark Ellison', manager: null } },
      reports: [],
    });
  });

  it("lists an agency's contacts, and a head of service's direct reports", async () => {
    const result = await h.graphql<{
      contacts: { name: string }[];
      contact: { reports: { name: string }[] };
    }>(
      `
        query ($agencyId: ID!, $head: ID!) {
          contacts(agencyId: $agencyId) {
            name
          }
          contact(id: $head) {
            reports {
              name
            }
          }
        }
      `,
      { agencyId: Demo.agencies.police, head: Demo.contacts.policeHeadOfService },
      tokens.mashOfficer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.contacts.map((c) => c.name).sort()).toEqual([
      'Aisha Rahman',
      'Claire Donovan',
      'Mark Ellison',
      'Tom Hargreaves',
    ]);
    expect(result.data?.contact.reports.map((c) => c.name).sort()).toEqual([
      'Claire Donovan',
      'Tom Hargreaves',
    ]);
  });

  it('resolves Contact and Agency entity references for the router', async () => {
    const result = await h.graphql<{ _entities: unknown[] }>(
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Contact {
              id
              name
            }
            ... on Agency {
              id
              contacts {
                id
              }
            }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Contact', id: Demo.contacts.mashOfficer },
          { __typename: 'Agency', id: Demo.agencies.partnership },
          { __typename: 'Contact', id: '00000000-0000-4000-8000-000000000000' },
        ],
      },
      tokens.mashOfficer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: Demo.contacts.mashOfficer, name: 'Jordan Price' },
      { id: Demo.agencies.partnership, contacts: [{ id: Demo.contacts.partnershipChair }] },
      null,
    ]);
  });
});
