import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { AutomationId, DockmasterEventType } from '@dockmaster/core/constants';
import { createDynamoDbRepositoryLock, leaseId, type RepositoryLock } from '@dockmaster/functions/adapters/repository-lock';
import { repositoryLeaseKey } from '@dockmaster/functions/cache-repository';
import { createCacheRepositoryHandler } from '@dockmaster/functions/handlers/cache-repository';
import { STATE_TABLE } from '@dockmaster/local/stack';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReliabilityStack, type ReliabilityStack } from './support/reliability-stack.js';
import { createRepositoryEvent, pullThroughCacheEvent } from './support/sample-events.js';

/*
 * No lost update on one repository's policy. ECR's SetRepositoryPolicy is a blind overwrite, so a worker that
 * reads, merges and writes loses whatever another writer (a person, another tool, another Dockmaster worker)
 * wrote in between. The interleavings are forced through hooks on the local ECR, never left to timing.
 */

const K8S = { prefix: 'k8s', upstream: 'registry.k8s.io' };
const DOCKMASTER_SIDS = ['DockmasterPullAccounts', 'DockmasterPullOrganizations'];

type Statement = { Sid: string; Effect: 'Allow'; Principal: { AWS: string }; Action: string[] };
const statement = (sid: string, account: string, action: string): Statement => ({ Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: [action] });
/** Written by a CI pipeline long before: it must survive everything. */
const CI_PUSH = statement('CiPush', '111122223333', 'ecr:PutImage');
/** Added by a person while Dockmaster works on the repository. */
const AUDIT_READ = statement('AuditRead', '555566667777', 'ecr:DescribeImages');

type PolicyInput = { repositoryName: string };
type PolicyAnswer = { policyText: string };

let h: ReliabilityStack;
let readPolicy: (input: PolicyInput) => PolicyAnswer;
let writePolicy: (input: PolicyInput & { policyText: string }) => object;

const policyWith = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const sidsOf = (repository: string): string[] =>
  (JSON.parse(readPolicy({ repositoryName: repository }).policyText) as { Statement: { Sid: string }[] }).Statement.map((entry) => entry.Sid).sort();

/** A person's read-modify-write: adds a statement to the policy as it is now (or as they read it earlier). */
const personAdds = (repository: string, added: Statement, readEarlier?: string): void => {
  const policy = JSON.parse(readEarlier ?? readPolicy({ repositoryName: repository }).policyText) as { Statement: unknown[] };
  writePolicy({ repositoryName: repository, policyText: JSON.stringify({ ...policy, Statement: [...policy.Statement, added] }) });
};

/** A repository under the k8s/ prefix with the CI statement, created without an event. */
const cacheRepositoryWithCiStatement = async (repository: string): Promise<void> => {
  await h.stack.ecr.createRepositoryInternal(repository, { createdBy: 'pull-through-cache' });
  writePolicy({ repositoryName: repository, policyText: policyWith(CI_PUSH) });
};

const configuredEvents = (repository: string) =>
  h.dockmasterEvents().filter((event) => event['detail-type'] === DockmasterEventType.CacheRepositoryConfigured && (event.detail as { repository?: string }).repository === repository);

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

beforeAll(async () => {
  h = await startReliabilityStack();
  // The unhooked operations, for the "person" and for assertions: only the worker's calls go through the hooks.
  readPolicy = h.stack.ecr.getRepositoryPolicy.bind(h.stack.ecr) as typeof readPolicy;
  writePolicy = h.stack.ecr.setRepositoryPolicy.bind(h.stack.ecr);
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await h?.stop();
});

describe('one Dockmaster worker and another writer', () => {
  it("keeps a statement a person adds between the worker's read and its write", async () => {
    // Prepare: right after the worker's first read, a person adds a statement.
    const repository = 'k8s/race/person-between-read-and-write';
    await cacheRepositoryWithCiStatement(repository);
    let armed = true;
    vi.spyOn(h.stack.ecr, 'getRepositoryPolicy').mockImplementation((input) => {
      const answer = readPolicy(input);
      if (armed && input.repositoryName === repository) {
        armed = false;
        personAdds(repository, AUDIT_READ);
      }
      return answer;
    });
    h.stack.bus.publish(createRepositoryEvent(h.origin, repository));

    // Act
    await h.run('batches');

    // Assess
    expect(armed).toBe(false);
    expect(sidsOf(repository)).toEqual(['AuditRead', 'CiPush', ...DOCKMASTER_SIDS]);
    expect(h.allQueuesEmpty()).toBe(true);
  });

  it("restores Dockmaster's statements when another tool overwrites the policy right after the worker's write", async () => {
    // Prepare: a tool that read the policy before the worker wrote writes its own version right after.
    const repository = 'k8s/race/tool-overwrites-after-write';
    await cacheRepositoryWithCiStatement(repository);
    let armed = true;
    const dockmasterWrites = vi.spyOn(h.stack.ecr, 'setRepositoryPolicy').mockImplementation((input) => {
      const toolRead = readPolicy(input).policyText;
      const answer = writePolicy(input);
      if (armed && input.repositoryName === repository) {
        armed = false;
        personAdds(repository, AUDIT_READ, toolRead);
      }
      return answer;
    });
    h.stack.bus.publish(pullThroughCacheEvent(h.origin, { ...K8S, repository }));

    // Act
    await h.run('batches');

    // Assess: the worker noticed, merged into the tool's version and wrote once more.
    expect(armed).toBe(false);
    expect(sidsOf(repository)).toEqual(['AuditRead', 'CiPush', ...DOCKMASTER_SIDS]);
    expect(dockmasterWrites.mock.calls.filter(([input]) => input.repositoryName === repository)).toHaveLength(2);
    expect(h.allQueuesEmpty()).toBe(true);
  });
});

describe('two Dockmaster workers on one repository at once', () => {
  it('serialises a CreateRepository and a pull-through cache action for the same repository: one write, nothing lost', async () => {
    // Prepare: the two events run in two invocations at the same time. The first worker to read is held
    // until the second one either waits for the lease or reads too; then a person adds a statement.
    const repository = 'k8s/race/two-workers';
    await cacheRepositoryWithCiStatement(repository);
    const operations: string[] = [];
    const secondWorkerArrived = deferred();
    const firstLeaseReleased = deferred();
    let leaseWaits = 0;
    let reads = 0;
    vi.spyOn(h.stack.ecr, 'getRepositoryPolicy').mockImplementation((input) => {
      if (input.repositoryName !== repository) return readPolicy(input);
      reads += 1;
      operations.push('get');
      const answer = readPolicy(input);
      if (reads > 1) {
        secondWorkerArrived.resolve();
        return answer;
      }
      // A promise is an object too: the endpoint awaits it, so this worker's read answers only later.
      return secondWorkerArrived.promise.then(() => {
        personAdds(repository, AUDIT_READ);
        operations.push('person-set');
        return answer;
      });
    });
    const dockmasterWrites = vi.spyOn(h.stack.ecr, 'setRepositoryPolicy').mockImplementation((input) => {
      if (input.repositoryName === repository) operations.push('set');
      return writePolicy(input);
    });
    const lease = createDynamoDbRepositoryLock({
      tableName: STATE_TABLE,
      // "Time passes" for a waiting worker exactly until the holder has released the lease.
      pause: async () => {
        leaseWaits += 1;
        secondWorkerArrived.resolve();
        await firstLeaseReleased.promise;
      },
    });
    const observedLease: RepositoryLock = {
      withLease: async (key, work) => {
        try {
          return await lease.withLease(key, work);
        } finally {
          firstLeaseReleased.resolve();
        }
      },
    };
    h.stack.bus.publish(createRepositoryEvent(h.origin, repository));
    h.stack.bus.publish(pullThroughCacheEvent(h.origin, { ...K8S, repository }));

    // Act
    const { reports } = await h.run('parallel', { [AutomationId.CacheRepository]: () => createCacheRepositoryHandler({ repositoryLock: observedLease }) });

    // Assess: the second worker waited for the lease and read only after the first one had written and checked.
    expect(reports.filter((report) => report.automation === AutomationId.CacheRepository).slice(0, 2).map((report) => report.records.length)).toEqual([1, 1]);
    expect(leaseWaits).toBeGreaterThan(0);
    expect(operations).toEqual(['get', 'person-set', 'get', 'set', 'get', 'get']);
    expect(sidsOf(repository)).toEqual(['AuditRead', 'CiPush', ...DOCKMASTER_SIDS]);
    expect(dockmasterWrites.mock.calls.filter(([input]) => input.repositoryName === repository)).toHaveLength(1);
    expect(configuredEvents(repository)).toHaveLength(1);
    expect(h.allQueuesEmpty()).toBe(true);
    const dynamo = new DynamoDBClient({});
    try {
      const leaseItem = await dynamo.send(new GetItemCommand({ TableName: STATE_TABLE, Key: { id: { S: leaseId(repositoryLeaseKey(h.origin.region, repository)) } }, ConsistentRead: true }));
      expect(leaseItem.Item).toBeUndefined();
    } finally {
      dynamo.destroy();
    }
  });
});
