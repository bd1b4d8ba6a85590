import path from 'node:path';

/** Published JSON Schemas, one per CloudEvent type: `schema/events/<type>.json` (same place from src or dist). */
export const eventSchemaDirectory = path.resolve(__dirname, '..', 'events');
