import { randomUUID } from 'node:crypto';
import type { Identity } from '@mash/schema';
import type { IncomingMessage } from 'node:http';
import type { JwtVerifier } from '@mash/service-kit';

export interface GatewayContext {
  readonly identity?: Identity;
  readonly token?: string;
  readonly requestId?: string;
  /**
   * The audited subgraphs (cases, escalations) this request's execution read from: when other requests are sent
   * its response (`operation-sharing.ts`), each of these records their reads.
   */
  readonly auditedReads?: Set<string>;
}

/** Verifies the caller's token before any planning: a missing or bad token gets a coded error, never data. */
export async function gatewayContext(verifier: JwtVerifier, req: IncomingMessage): Promise<GatewayContext> {
  const header = req.headers.authorization;
  const identity = await verifier.verifyHeader(header);
  const token = header!.replace(/^Bearer\s+/i, '');
  const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
  return { identity, token, requestId, auditedReads: new Set() };
}
