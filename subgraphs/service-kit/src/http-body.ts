import type http from 'node:http';
import type { ErrorCode } from '@mash/schema';

/** A request refused before GraphQL sees it, with the registry code it is answered with. */
export class RequestRejection extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
    this.name = 'RequestRejection';
  }
}

/** True for `application/json` (and `application/graphql-response+json`), in UTF-8 or with no charset. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && type !== 'application/graphql-response+json') return false;
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * Reads and parses a POST body as JSON, refusing early what is not JSON or is larger than `maxBytes` (by its
 * declared length before reading a byte, and by what actually arrives).
 */
export function readRequestBody(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) {
    req.resume();
    return Promise.reject(new RequestRejection('UNSUPPORTED_MEDIA_TYPE'));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(new RequestRejection('PAYLOAD_TOO_LARGE'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
        reject(new RequestRejection('PAYLOAD_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (text.trim() === '') return reject(new RequestRejection('BAD_REQUEST'));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new RequestRejection('MALFORMED_JSON'));
      }
    });
  });
}
