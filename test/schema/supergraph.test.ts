import { readFileSync } from 'node:fs';
import { composeSupergraph, schemaFiles } from '../../scripts/lib/compose';

describe('the committed supergraph', () => {
  it('matches what the four subgraphs compose to now (run `npm run compose` when this fails)', async () => {
    const composition = await composeSupergraph();
    const files = schemaFiles();
    for (const s of composition.subgraphs) {
      expect(readFileSync(files.subgraph(s.name), 'utf8')).toBe(s.sdl);
    }
    expect(readFileSync(files.supergraph, 'utf8')).toBe(composition.supergraphSdl);
  });
});
