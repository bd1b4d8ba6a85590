import { CreateCasesTables1795316400000 } from './1795316400000-create-cases-tables';
import { AddAgencyPositionHeldSince1795920000000 } from './1795920000000-add-agency-position-held-since';
import { AddOutboxDeadLetter1796000000000 } from './1796000000000-add-outbox-dead-letter';
import { AddReportedPlansAndRecords1796100000000 } from './1796100000000-add-reported-plans-and-records';
import { OutboxValueJson1798000000000 } from './1798000000000-outbox-value-json';
import { OutboxRowsUncompressed1798100000000 } from './1798100000000-outbox-rows-uncompressed';
import { StatusChangeSequence1798300000000 } from './1798300000000-status-change-sequence';

/** Every migration of the cases schema, oldest first. */
export const casesMigrations = [
  CreateCasesTables1795316400000,
  AddAgencyPositionHeldSince1795920000000,
  AddOutboxDeadLetter1796000000000,
  AddReportedPlansAndRecords1796100000000,
  OutboxValueJson1798000000000,
  OutboxRowsUncompressed1798100000000,
  StatusChangeSequence1798300000000,
];
