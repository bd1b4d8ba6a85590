import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { eventSchemaDirectory } from '@mash/schema';
import { contractDrift, PUBLISHED_DIRECTORY } from './lib/contract/compatibility';

/**
 * `npm run contract:publish`: records the current event schemas as published (schema/events-published/), after
 * checking that no published schema changed incompatibly. A breaking change needs a new version of the type
 * (`<type>.v2`), never an edit of the published one; so it is refused here and in the tests.
 */
function main(): void {
  const drift = contractDrift();
  const breaking = Object.entries(drift.breaking);
  if (breaking.length > 0 || drift.removed.length > 0) {
    for (const [file, problems] of breaking) {
      console.error(`${file} changed incompatibly; publish a new version of the type instead:`);
      for (const p of problems) console.error(`  ${p}`);
    }
    for (const file of drift.removed) console.error(`${file} was published and has been removed`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(PUBLISHED_DIRECTORY, { recursive: true });
  for (const file of [...drift.unpublished, ...drift.changed]) {
    copyFileSync(path.join(eventSchemaDirectory, file), path.join(PUBLISHED_DIRECTORY, file));
    console.log(`published ${file}`);
  }
  if (drift.unpublished.length + drift.changed.length === 0)
    console.log('every schema is published as it is');
}

main();
