/*
 * The JSON the AWS provider's `aws.iam.getPolicyDocument` data source returns, rendered here because under
 * Pulumi's mocks no provider runs. It follows the provider's documented output (the Terraform
 * `aws_iam_policy_document` data source): Version 2012-10-17, one entry per statement with Sid, Effect
 * (default Allow), Action/NotAction, Resource/NotResource, Principal/NotPrincipal and Condition; a list
 * with a single value is written as that value, as the provider does. No library renders this offline.
 */

interface PolicyDocumentPrincipal {
  type: string;
  identifiers: string[];
}

interface PolicyDocumentCondition {
  test: string;
  variable: string;
  values: string[];
}

interface PolicyDocumentStatement {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: PolicyDocumentPrincipal[];
  notPrincipals?: PolicyDocumentPrincipal[];
  conditions?: PolicyDocumentCondition[];
}

interface PolicyDocumentArgs {
  policyId?: string;
  version?: string;
  statements?: PolicyDocumentStatement[];
}

type StringOrList = string | string[];

const oneOrMany = (values: readonly string[]): StringOrList => (values.length === 1 ? (values[0] as string) : [...values]);

const renderPrincipals = (principals: readonly PolicyDocumentPrincipal[]): StringOrList | Record<string, StringOrList> => {
  // `{ type: "*", identifiers: ["*"] }` is the anonymous principal, written as the bare string "*".
  if (principals.length === 1 && principals[0]?.type === '*') return '*';
  const byType: Record<string, string[]> = {};
  for (const principal of principals) byType[principal.type] = [...(byType[principal.type] ?? []), ...principal.identifiers];
  return Object.fromEntries(Object.entries(byType).map(([type, identifiers]) => [type, oneOrMany(identifiers)]));
};

const renderConditions = (conditions: readonly PolicyDocumentCondition[]): Record<string, Record<string, StringOrList>> => {
  const byTest: Record<string, Record<string, StringOrList>> = {};
  for (const condition of conditions) {
    byTest[condition.test] = { ...(byTest[condition.test] ?? {}), [condition.variable]: oneOrMany(condition.values) };
  }
  return byTest;
};

const nonEmpty = <T>(values: readonly T[] | undefined): values is readonly T[] => values !== undefined && values !== null && values.length > 0;

/** The policy document object for getPolicyDocument's arguments. */
const renderPolicyDocument = (args: PolicyDocumentArgs): Record<string, unknown> => ({
  Version: args.version ?? '2012-10-17',
  ...(args.policyId === undefined ? {} : { Id: args.policyId }),
  Statement: (args.statements ?? []).map((statement) => ({
    ...(statement.sid ? { Sid: statement.sid } : {}),
    Effect: statement.effect ?? 'Allow',
    ...(nonEmpty(statement.actions) ? { Action: oneOrMany(statement.actions) } : {}),
    ...(nonEmpty(statement.notActions) ? { NotAction: oneOrMany(statement.notActions) } : {}),
    ...(nonEmpty(statement.resources) ? { Resource: oneOrMany(statement.resources) } : {}),
    ...(nonEmpty(statement.notResources) ? { NotResource: oneOrMany(statement.notResources) } : {}),
    ...(nonEmpty(statement.principals) ? { Principal: renderPrincipals(statement.principals) } : {}),
    ...(nonEmpty(statement.notPrincipals) ? { NotPrincipal: renderPrincipals(statement.notPrincipals) } : {}),
    ...(nonEmpty(statement.conditions) ? { Condition: renderConditions(statement.conditions) } : {}),
  })),
});

export { renderPolicyDocument };
export type { PolicyDocumentArgs, PolicyDocumentStatement };
