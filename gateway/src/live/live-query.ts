import {
  Kind,
  getArgumentValues,
  print,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** What `escalationChanged` was asked to watch. */
export interface LiveFilter {
  readonly partnershipId: string;
  readonly stages?: readonly number[];
  readonly agencyId?: string;
  readonly grounds?: readonly string[];
}

interface LiveQueryBase {
  /** The response key the subscriber expects (its alias of the subscription field, or the field name). */
  readonly rootKey: string;
  /** The query that resolves the subscriber's selection for one record, with its id as a variable. */
  readonly query: string;
  /** The subscriber's own variables that the selection uses. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/**
 * A subscriber's `escalationChanged` selection, turned into the query that resolves it for the escalations of one
 * fetched batch at once (`escalationsByIds` answers each exactly as `escalation(id)` would):
 * `query($__escalations: [ID!]!, …) { <rootKey>: escalationsByIds(ids: $__escalations) { …selection } __filter: … }`.
 */
export interface EscalationLiveQuery extends LiveQueryBase {
  readonly kind: 'escalation';
  readonly filter: LiveFilter;
}

/**
 * A subscriber's `notificationReceived` selection, turned into the query that resolves it for one notification:
 * `query($__notification: ID!, …) { <rootKey>: notification(id: $__notification) { …selection } }`.
 */
export interface NotificationLiveQuery extends LiveQueryBase {
  readonly kind: 'notification';
}

export type LiveQuery = EscalationLiveQuery | NotificationLiveQuery;

export const ESCALATIONS_VARIABLE = '__escalations';
export const NOTIFICATION_VARIABLE = '__notification';
export const FILTER_KEY = '__filter';

/** The fields a live event is filtered on, resolved beside the subscriber's own selection. */
const FILTER_SELECTION = '{ ground stage partnership { id } raisingAgency { id } receivingAgency { id } }';

function operationOf(args: ExecutionArgs): OperationDefinitionNode {
  const operations = args.document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = args.operationName
    ? operations.find((o) => o.name?.value === args.operationName)
    : operations[0];
  if (!op) throw new Error('no operation');
  return op;
}

/** Variable and fragment names used anywhere below `node`, following fragment spreads. */
function usedNames(
  node: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
): { variables: Set<string>; fragments: Set<string> } {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (n: FieldNode | FragmentDefinitionNode) =>
    visit(n, {
      Variable: (v) => void names.add(v.name.value),
      FragmentSpread: (s) => {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) {
          seen.add(f.name.value);
          walk(f);
        }
      },
    });
  walk(node);
  return { variables: names, fragments: seen };
}

/** The subscription fields served, and the query field that resolves each for records by id. */
const LIVE_FIELDS = {
  escalationChanged: {
    kind: 'escalation',
    field: 'escalationsByIds',
    argument: 'ids',
    variable: ESCALATIONS_VARIABLE,
    variableType: '[ID!]!',
  },
  notificationReceived: {
    kind: 'notification',
    field: 'notification',
    argument: 'id',
    variable: NOTIFICATION_VARIABLE,
    variableType: 'ID!',
  },
} as const;

/**
 * Builds the live query for a validated `subscription { escalationChanged(…) { … } }` or
 * `subscription { notificationReceived { … } }`: the subscriber's selection (aliases, fragments and variables kept)
 * as a query for records by id (escalations: a batch's at once; a notification: one), so that every event is
 * answered exactly as the same query would be, through the whole graph and with the subscriber's own identity.
 */
export function liveQueryOf(schema: GraphQLSchema, args: ExecutionArgs): LiveQuery {
  const op = operationOf(args);
  const root = op.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD);
  const served = root ? LIVE_FIELDS[root.name.value as keyof typeof LIVE_FIELDS] : undefined;
  const fieldDef = root ? schema.getSubscriptionType()?.getFields()[root.name.value] : undefined;
  if (!root || !served || !fieldDef || !root.selectionSet) {
    throw new Error('only escalationChanged and notificationReceived are served');
  }
  const variableValues = (args.variableValues ?? {}) as Record<string, unknown>;
  const fragments = new Map(
    args.document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const usage = usedNames({ ...root, arguments: [] }, fragments);
  const used = usage.variables;
  const definitions: VariableDefinitionNode[] = (op.variableDefinitions ?? []).filter((d) =>
    used.has(d.variable.name.value),
  );
  const rootKey = root.alias?.value ?? root.name.value;
  const header = [`$${served.variable}: ${served.variableType}`, ...definitions.map((d) => print(d))].join(
    ', ',
  );
  const body = print(root.selectionSet);
  const lines = [
    `query MashLive(${header}) {`,
    `  ${rootKey}: ${served.field}(${served.argument}: $${served.variable}) ${body}`,
  ];
  if (served.kind === 'escalation') {
    lines.push(
      `  ${FILTER_KEY}: ${served.field}(${served.argument}: $${served.variable}) ${FILTER_SELECTION}`,
    );
  }
  const query = [
    ...lines,
    `}`,
    ...[...fragments.values()].filter((f) => usage.fragments.has(f.name.value)).map((f) => print(f)),
  ].join('\n');
  const variables: Record<string, unknown> = {};
  for (const name of used) if (name in variableValues) variables[name] = variableValues[name];
  if (served.kind === 'notification') return { kind: 'notification', rootKey, query, variables };
  const filter = getArgumentValues(fieldDef, root, variableValues) as unknown as LiveFilter;
  return { kind: 'escalation', filter, rootKey, query, variables };
}

/** The filter fields of one resolved escalation. */
export interface FilterFacts {
  readonly ground: string;
  readonly stage: number;
  readonly partnership: { readonly id: string };
  readonly raisingAgency: { readonly id: string };
  readonly receivingAgency: { readonly id: string };
}

export function matches(filter: LiveFilter, facts: FilterFacts): boolean {
  if (facts.partnership.id !== filter.partnershipId) return false;
  if (filter.stages && filter.stages.length > 0 && !filter.stages.includes(facts.stage)) return false;
  if (filter.grounds && filter.grounds.length > 0 && !filter.grounds.includes(facts.ground)) return false;
  if (
    filter.agencyId &&
    facts.raisingAgency.id !== filter.agencyId &&
    facts.receivingAgency.id !== filter.agencyId
  ) {
    return false;
  }
  return true;
}

export type { DocumentNode };
