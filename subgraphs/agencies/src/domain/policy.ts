import {
  CASEWORK_ROLES,
  type EscalationPolicy,
  type PolicyStage,
  type Role,
  type ThresholdDisagreementPolicy,
  type Timescale,
  type TimescaleUnit,
} from '@mash/schema';

export const TIMESCALE_UNITS: readonly TimescaleUnit[] = ['hours', 'calendar-days', 'working-days'];

/**
 * Roles that may own an escalation stage: people who decide, never integrators, auditors or services. They are the
 * casework roles, the allow-list for personal data: a stage owner must be able to read the case they decide on.
 */
export const STAGE_OWNER_ROLES: readonly Role[] = CASEWORK_ROLES;

/** Steps on the threshold ladder none < universal < early help < child in need < child protection. */
const MAX_THRESHOLD_STEPS = 4;

/** A policy document that breaks the rules; `problems` lists every one, not just the first. */
export class PolicyValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid escalation policy:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyValidationError';
  }
}

type Problems = string[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A timescale: a positive amount of hours, calendar days or working days. Days are whole; hours may be
 * fractional, so tests can ask for a grace period of one second as `{ amount: 1 / 3600, unit: 'hours' }`.
 */
function timescale(value: unknown, path: string, problems: Problems): Timescale | undefined {
  if (!isObject(value)) {
    problems.push(`${path} must be an object { amount, unit }`);
    return undefined;
  }
  const { amount, unit } = value;
  const before = problems.length;
  if (typeof unit !== 'string' || !(TIMESCALE_UNITS as readonly string[]).includes(unit)) {
    problems.push(`${path}.unit must be one of ${TIMESCALE_UNITS.join(', ')}`);
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    problems.push(`${path}.amount must be a positive number`);
  } else if (unit !== 'hours' && !Number.isInteger(amount)) {
    problems.push(`${path}.amount must be a whole number of days`);
  }
  return problems.length === before ? { amount: amount as number, unit: unit as TimescaleUnit } : undefined;
}

function stageTimescale(
  value: unknown,
  path: string,
  isLast: boolean,
  problems: Problems,
): Timescale | null | undefined {
  if (value === null) {
    if (!isLast) problems.push(`${path} may be null only on the last stage`);
    return null;
  }
  return timescale(value, path, problems);
}

function ownerRoles(value: unknown, path: string, problems: Problems): Role[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${path} must name at least one role`);
    return [];
  }
  const roles: Role[] = [];
  value.forEach((role: unknown, i) => {
    if (typeof role !== 'string' || !(STAGE_OWNER_ROLES as readonly string[]).includes(role)) {
      problems.push(`${path}[${i}] must be one of ${STAGE_OWNER_ROLES.join(', ')}`);
    } else if (roles.includes(role as Role)) {
      problems.push(`${path}[${i}] repeats ${role}`);
    } else {
      roles.push(role as Role);
    }
  });
  return roles;
}

function stages(value: unknown, problems: Problems): PolicyStage[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('stages must be a non-empty list');
    return [];
  }
  const result: PolicyStage[] = [];
  value.forEach((raw: unknown, i) => {
    const path = `stages[${i}]`;
    if (!isObject(raw)) {
      problems.push(`${path} must be an object`);
      return;
    }
    const isLast = i === value.length - 1;
    if (raw['stage'] !== i + 1)
      problems.push(`${path}.stage must be ${i + 1} (stages are numbered 1..n in order)`);
    const name = raw['name'];
    if (typeof name !== 'string' || name.trim() === '')
      problems.push(`${path}.name must be a non-empty string`);
    const roles = ownerRoles(raw['ownerRoles'], `${path}.ownerRoles`, problems);
    const normal = stageTimescale(raw['timescale'], `${path}.timescale`, isLast, problems);
    const urgent = stageTimescale(
      raw['immediateRiskTimescale'],
      `${path}.immediateRiskTimescale`,
      isLast,
      problems,
    );
    if (normal !== undefined && urgent !== undefined && typeof name === 'string') {
      result.push({
        stage: i + 1,
        name,
        ownerRoles: roles,
        timescale: normal,
        immediateRiskTimescale: urgent,
      });
    }
  });
  return result;
}

function thresholdDisagreement(value: unknown, problems: Problems): ThresholdDisagreementPolicy | undefined {
  const path = 'triggers.thresholdDisagreement';
  if (!isObject(value)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const { enabled, minimumSteps, highRiskNoFurtherAction } = value;
  if (typeof enabled !== 'boolean') problems.push(`${path}.enabled must be true or false`);
  if (
    typeof minimumSteps !== 'number' ||
    !Number.isInteger(minimumSteps) ||
    minimumSteps < 1 ||
    minimumSteps > MAX_THRESHOLD_STEPS
  ) {
    problems.push(`${path}.minimumSteps must be a whole number from 1 to ${MAX_THRESHOLD_STEPS}`);
  }
  if (typeof highRiskNoFurtherAction !== 'boolean') {
    problems.push(`${path}.highRiskNoFurtherAction must be true or false`);
  }
  const gracePeriod = timescale(value['gracePeriod'], `${path}.gracePeriod`, problems);
  if (gracePeriod === undefined) return undefined;
  return {
    enabled: enabled as boolean,
    minimumSteps: minimumSteps as number,
    highRiskNoFurtherAction: highRiskNoFurtherAction as boolean,
    gracePeriod,
  };
}

/**
 * Checks a policy document against the rules and returns a clean copy holding only the known fields. Throws
 * a PolicyValidationError listing every problem: stages numbered 1..n in order, each with a name and at least
 * one owner role that can decide; positive timescales (whole days); a null timescale only on the last stage;
 * the threshold-disagreement trigger with minimumSteps from 1 to 4 and a positive grace period.
 */
export function validatePolicy(policy: unknown): EscalationPolicy {
  const problems: Problems = [];
  if (!isObject(policy)) throw new PolicyValidationError(['the policy must be an object']);
  if (policy['calendar'] !== 'england-and-wales') problems.push("calendar must be 'england-and-wales'");
  const validStages = stages(policy['stages'], problems);
  const triggers = policy['triggers'];
  let threshold: ThresholdDisagreementPolicy | undefined;
  if (!isObject(triggers)) problems.push('triggers must be an object');
  else threshold = thresholdDisagreement(triggers['thresholdDisagreement'], problems);
  if (problems.length > 0 || threshold === undefined) throw new PolicyValidationError(problems);
  return {
    calendar: 'england-and-wales',
    stages: validStages,
    triggers: { thresholdDisagreement: threshold },
  };
}
