import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireDirectoryAccess, visibleContacts } from '../services/access';
import { Agency } from './agency.type';
import type { ContactsContext } from './context';
import { Contact } from './contact.type';
import type { ContactRecord } from '../domain/contact';

@Resolver(() => Agency)
export class AgencyContactsResolver {
  @FieldResolver(() => [Contact], { description: "The agency's contacts in the directory, by name." })
  async contacts(@Root() agency: Agency, @Ctx() ctx: ContactsContext): Promise<ContactRecord[]> {
    const access = requireDirectoryAccess(ctx.identity);
    return visibleContacts(access, await ctx.loaders.contactsOfAgency.load(agency.id));
  }
}
