import { CreateCasesTables1795316400000 } from './1795316400000-create-cases-tables';
import { AddAgencyPositionHeldSince1795920000000 } from './1795920000000-add-agency-position-held-since';

/** Every migration of the cases schema, oldest first. */
export const casesMigrations = [CreateCasesTables1795316400000, AddAgencyPositionHeldSince1795920000000];
