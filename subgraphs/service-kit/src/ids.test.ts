import { isUuid, uuidFromName } from './ids';

describe('uuidFromName', () => {
  // Stored ids (status changes, timeline rows) are these: a change of how they are computed must give the same
  // ones. Expected values from the first implementation (createHash('sha1').update(…).digest()).
  it('gives the ids it always gave, as version-5 style UUIDs', () => {
    expect(uuidFromName('urn:mash:source:tvp-niche|evt-1')).toBe('f2c64d6c-3178-52b2-96f9-011754111039');
    expect(uuidFromName('Child A ✓ é')).toBe('64e8cb04-854a-57a0-be57-379aa3eea0dd');
    expect(uuidFromName('x', 'other')).toBe('c7efb28f-60b6-5760-a1e7-993aa97ebc8b');
    // The four variant nibbles (8, 9, a, b) among the ids above and this one.
    expect(uuidFromName('notification:event-6:recipient')).toBe('c5a1f8f7-07e2-5ff9-801a-07c15d98e788');
    expect(isUuid(uuidFromName('anything'))).toBe(true);
    expect(uuidFromName('anything')[14]).toBe('5');
  });
});
