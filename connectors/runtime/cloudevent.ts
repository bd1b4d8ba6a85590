import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@mash/schema';
import { schemaId, sourceUrn } from './naming';

export interface CloudEventInit<D> {
  /** The registered source system code (becomes `urn:mash:source:<code>`). */
  readonly sourceSystem: string;
  readonly type: string;
  readonly data: D;
  /** Default: a random UUID. */
  readonly id?: string;
  /** Default: now. */
  readonly time?: string;
}

/** A structured CloudEvents 1.0 event as an agency system publishes it (value of a mash.agency.<family>.<source-system>.v1 record). */
export function createCloudEvent<D>(init: CloudEventInit<D>): CloudEvent<D> {
  return {
    specversion: '1.0',
    id: init.id ?? randomUUID(),
    source: sourceUrn(init.sourceSystem),
    type: init.type,
    time: init.time ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaId(init.type),
    data: init.data,
  };
}
