import { randomUUID } from 'node:crypto';
import type { Identity } from '@mash/schema';
import type { IncomingMessage } from 'node:http';
import { AuditRecorder } from './audit/recorder';
import type { JwtVerifier } from './auth';
import type { Logger } from './logger';

/** What every subgraph resolver sees: the caller, verified again here from the forwarded token. */
export interface RequestContext {
  readonly identity: Identity;
  readonly requestId: string;
  readonly logger: Logger;
  /** This request's audit entries; the access check point records through it, the server writes them. */
  readonly audit: AuditRecorder;
}

export async function requestContext(
  verifier: JwtVerifier,
  logger: Logger,
  req: IncomingMessage,
  service: string,
): Promise<RequestContext> {
  const identity = await verifier.verifyHeader(req.headers.authorization);
  const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
  return {
    identity,
    requestId,
    logger: logger.child({ requestId, caller: identity.subject }),
    audit: new AuditRecorder(service, identity, requestId),
  };
}
