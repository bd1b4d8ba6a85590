import { requireDirectoryAccess, visibleContacts } from '../services/access';
import type { ContactsContext } from './context';
import type { ContactRecord } from '../domain/contact';

/** The contact, when it exists and the caller may see it; FORBIDDEN when they may see no directory at all. */
export async function visibleContact(id: string, ctx: ContactsContext): Promise<ContactRecord | null> {
  const access = requireDirectoryAccess(ctx.identity);
  const contact = await ctx.loaders.contact.load(id);
  return contact ? (visibleContacts(access, [contact])[0] ?? null) : null;
}

export async function resolveContactReference(
  reference: { id: string },
  ctx: ContactsContext,
): Promise<ContactRecord | null> {
  return visibleContact(reference.id, ctx);
}
