import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { letOtherUsersReach, privateDirectory } from './data-folders';

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe('data folders', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mash-data-folders-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('makes a private folder without making the folders above it private', async () => {
    const data = path.join(root, '.data');
    const broker = path.join(data, 'kafka-9092');
    const umask = process.umask();
    await privateDirectory(broker);
    expect(await modeOf(broker)).toBe(0o700);
    // `.data` as any new folder: 0777 less the umask, so others can pass through to `.data/postgres`.
    expect(await modeOf(data)).toBe(0o777 & ~umask);
  });

  it('gives search permission to the folders between the root and a data folder, and to nothing else', async () => {
    const data = path.join(root, '.data');
    await mkdir(data, { mode: 0o700 });
    const postgres = path.join(data, 'postgres');
    await mkdir(postgres, { mode: 0o700 });
    const rootMode = await modeOf(root);

    expect(await letOtherUsersReach(postgres, root)).toEqual([data]);
    expect(await modeOf(data)).toBe(0o711);
    // The data folder itself and the root are not touched.
    expect(await modeOf(postgres)).toBe(0o700);
    expect(await modeOf(root)).toBe(rootMode);
    // Nothing left to change the second time.
    expect(await letOtherUsersReach(postgres, root)).toEqual([]);
  });
});
