import { CreateCasesTables1795316400000 } from './1795316400000-create-cases-tables';

/** Every migration of the cases schema, oldest first. */
export const casesMigrations = [CreateCasesTables1795316400000];
