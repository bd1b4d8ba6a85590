import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { requireDirectoryAccess, visibleContacts } from '../services/access';
import { Agency } from './agency.type';
import type { ContactsContext } from './context';
import { visibleContact } from './contact.reference';
import { Contact } from './contact.type';
import type { ContactRecord } from '../domain/contact';

@Resolver(() => Contact)
export class ContactResolver {
  @Query(() => Contact, {
    nullable: true,
    description: 'Null when no contact with that id is visible to you.',
  })
  async contact(@Arg('id', () => ID) id: string, @Ctx() ctx: ContactsContext): Promise<ContactRecord | null> {
    return visibleContact(id, ctx);
  }

  @Query(() => [Contact], {
    description: "An agency's contacts, by name (empty for another partnership's agency).",
  })
  async contacts(
    @Arg('agencyId', () => ID) agencyId: string,
    @Ctx() ctx: ContactsContext,
  ): Promise<ContactRecord[]> {
    const access = requireDirectoryAccess(ctx.identity);
    return visibleContacts(access, await ctx.loaders.contactsOfAgency.load(agencyId));
  }

  @FieldResolver(() => Agency)
  agency(@Root() contact: ContactRecord): Agency {
    return { id: contact.agencyId };
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'Who they report to.' })
  async manager(@Root() contact: ContactRecord, @Ctx() ctx: ContactsContext): Promise<ContactRecord | null> {
    return contact.managerId ? visibleContact(contact.managerId, ctx) : null;
  }

  @FieldResolver(() => [Contact], { description: 'Who reports to them, by name.' })
  async reports(@Root() contact: ContactRecord, @Ctx() ctx: ContactsContext): Promise<ContactRecord[]> {
    const access = requireDirectoryAccess(ctx.identity);
    return visibleContacts(access, await ctx.loaders.reportsOf.load(contact.id));
  }
}
