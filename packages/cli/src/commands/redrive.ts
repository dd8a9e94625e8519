import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AUTOMATION_IDS, type AutomationId, DEAD_LETTER_ATTRIBUTE_PREFIX, DeadLetterAttribute } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';
import { collapseToOneLine } from '@dockmaster/core/shared';
import { queueNames } from '@dockmaster/core/topology';
import { defaultStateDir } from '@dockmaster/local/control';
import { LOCAL_BUS_NAME } from '@dockmaster/local/stack';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { findRunningStack } from './local/running-stack.js';

const usage =
  'dockmaster redrive --queue <automation> [--dry-run] [--max <n>] [--region <region>] [--stage <stage> | --dlq-url <url> [--source-url <url>]]';

/** SQS hands out at most 10 messages per receive. */
const RECEIVE_BATCH = 10;
/** Long enough to send and delete a batch; a message whose move failed comes back after it at the latest. */
const MOVE_VISIBILITY_SECONDS = 120;
/** One second of long polling: short polling may miss messages on some SQS hosts, and the last receive waits this long. */
const RECEIVE_WAIT_SECONDS = 1;
const BODY_PREVIEW_CHARS = 80;
/** infra names Dockmaster's bus `<app>-<stage>`; the queue names derive from it like the local stack's. */
const APP_NAME = 'dockmaster';

type Options = {
  queue?: string;
  'dry-run'?: boolean;
  max?: string;
  region?: string;
  stage?: string;
  'dlq-url'?: string;
  'source-url'?: string;
};

type Target = {
  client: SQSClient;
  deadLetterQueueUrl: string;
  sourceQueueUrl: string;
  /** For the first line: "the local stack (http://...)" or "AWS (eu-central-1)". */
  where: string;
};

type Tally = { moved: number; failed: number; listed: number };

/** Replaceable parts, for tests: where the local stack's state file is. */
type RedriveCommandDeps = { stateDir?: () => string };

const queueNameOf = (url: string): string => url.replace(/\/+$/, '').split('/').pop() ?? url;

/** Queue names as infra and the local stack give them (topology's queueNames): `<bus>-<automation>` and `-dlq`. */
const sourceQueueName = (bus: string, automation: AutomationId): string => queueNames(bus, automation).queue;
const deadLetterQueueName = (bus: string, automation: AutomationId): string => queueNames(bus, automation).deadLetter;

const parseAutomation = (value: string | undefined): AutomationId => {
  if (value === undefined) throw new UsageError(`--queue <automation> is required (one of ${AUTOMATION_IDS.join(', ')})\nusage: ${usage}`);
  if (!(AUTOMATION_IDS as readonly string[]).includes(value)) {
    throw new UsageError(`--queue ${value}: not an automation; use one of ${AUTOMATION_IDS.join(', ')}\nusage: ${usage}`);
  }
  return value as AutomationId;
};

const parseMax = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--max ${value}: give a whole number of messages, 1 or more\nusage: ${usage}`);
  return Number(value);
};

const parseUrl = (value: string | undefined, option: string): string | undefined => {
  if (value === undefined) return undefined;
  try {
    return new URL(value).href;
  } catch {
    throw new UsageError(`${option} ${value}: not a URL; give the queue URL, e.g. https://sqs.eu-central-1.amazonaws.com/111122223333/<queue>\nusage: ${usage}`);
  }
};

const isNamed = (error: unknown, ...names: string[]): boolean => error instanceof Error && names.includes(error.name);

/** Turns an SQS failure into a message that says what to check; anything unexpected stays a bug. */
const sqsProblem = (error: unknown, doing: string): UserFacingError => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new UserFacingError(
    'REDRIVE_SQS',
    `${doing} failed: ${message}. Check the credentials and Region (AWS_PROFILE, AWS_REGION or --region) and that they allow ` +
      'sqs:GetQueueUrl, sqs:ListDeadLetterSourceQueues, sqs:ReceiveMessage, sqs:DeleteMessage on the DLQ and sqs:SendMessage on its source queue',
    { cause: error },
  );
};

const queueUrlByName = async (client: SQSClient, name: string, where: string): Promise<string | undefined> => {
  try {
    return (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (isNamed(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) return undefined;
    throw sqsProblem(error, `looking up queue ${name} in ${where}`);
  }
};

/** The DLQ's source queue: the one queue whose redrive policy names it (SQS knows, whatever the names), else by name. */
const findSourceQueue = async (client: SQSClient, deadLetterQueueUrl: string, fallbackName: string, where: string): Promise<string> => {
  let sources: string[];
  try {
    sources = (await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: deadLetterQueueUrl }))).queueUrls ?? [];
  } catch (error) {
    throw sqsProblem(error, `listing the source queues of ${queueNameOf(deadLetterQueueUrl)}`);
  }
  if (sources.length > 1) {
    throw new UserFacingError(
      'REDRIVE_AMBIGUOUS_SOURCE',
      `${queueNameOf(deadLetterQueueUrl)} is the dead-letter queue of ${sources.length} queues (${sources.map(queueNameOf).join(', ')}); say which with --source-url <url>`,
    );
  }
  const [source] = sources;
  if (source !== undefined) return source;
  const byName = await queueUrlByName(client, fallbackName, where);
  if (byName === undefined) {
    throw new UserFacingError(
      'REDRIVE_SOURCE_NOT_FOUND',
      `no queue names ${queueNameOf(deadLetterQueueUrl)} as its dead-letter queue and there is no queue ${fallbackName} in ${where}; give the source queue with --source-url <url> (sst deploy output "queues")`,
    );
  }
  return byName;
};

/** Where to redrive: the local stack (its state file gives the endpoint) unless --stage or --dlq-url name AWS queues. */
const resolveTarget = async (automation: AutomationId, options: Options, deps: RedriveCommandDeps): Promise<Target> => {
  const dlqUrl = parseUrl(options['dlq-url'], '--dlq-url');
  const sourceUrl = parseUrl(options['source-url'], '--source-url');
  if (options.stage !== undefined && !/^[A-Za-z0-9-]+$/.test(options.stage)) throw new UsageError(`--stage ${options.stage}: a stage name has letters, digits and dashes\nusage: ${usage}`);
  if (sourceUrl !== undefined && dlqUrl === undefined) throw new UsageError(`--source-url goes with --dlq-url\nusage: ${usage}`);

  let client: SQSClient;
  let bus: string;
  let where: string;
  if (dlqUrl !== undefined || options.stage !== undefined) {
    client = new SQSClient(options.region === undefined ? {} : { region: options.region });
    bus = `${APP_NAME}-${options.stage ?? 'unknown'}`;
    where = `AWS${options.region === undefined ? '' : ` (${options.region})`}${options.stage === undefined ? '' : `, stage ${options.stage}`}`;
  } else {
    const stateDir = deps.stateDir?.() ?? defaultStateDir();
    const state = findRunningStack(stateDir);
    if (state === undefined) {
      throw new UsageError(
        `no local stack is running (nothing recorded in ${stateDir}); start one with \`dockmaster local up --detach\`, ` +
          `or redrive on AWS with --stage <stage> (or --dlq-url <url>)\nusage: ${usage}`,
      );
    }
    // The local endpoint accepts any signature; a developer's real credentials must not be sent to it.
    client = new SQSClient({ endpoint: state.urls.aws, region: options.region ?? state.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    bus = LOCAL_BUS_NAME;
    where = `the local stack (${state.urls.aws})`;
  }

  try {
    const deadLetterQueueUrl = dlqUrl ?? (await queueUrlByName(client, deadLetterQueueName(bus, automation), where));
    if (deadLetterQueueUrl === undefined) {
      throw new UserFacingError(
        'REDRIVE_QUEUE_NOT_FOUND',
        `there is no queue ${deadLetterQueueName(bus, automation)} in ${where}: is the ${automation} automation deployed there (it gets no queues when the ` +
          'config gives it nothing to do)? On AWS, give the queue with --dlq-url <url> from the `sst deploy` output "deadLetterQueues"',
      );
    }
    const sourceQueueUrl = sourceUrl ?? (await findSourceQueue(client, deadLetterQueueUrl, sourceQueueName(bus, automation), where));
    return { client, deadLetterQueueUrl, sourceQueueUrl, where };
  } catch (error) {
    client.destroy();
    throw error;
  }
};

/** The message's own attributes, without Dockmaster's failure attributes (list values are reserved by SQS and never sent). */
const originalAttributes = (message: Message): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {})
      .filter(([name]) => !name.startsWith(DEAD_LETTER_ATTRIBUTE_PREFIX))
      .map(([name, value]) => [
        name,
        {
          DataType: value.DataType,
          ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
          ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }),
        },
      ]),
  );

const reasonOf = (message: Message): string =>
  message.MessageAttributes?.[DeadLetterAttribute.FailureReason]?.StringValue ?? '(no reason attribute: moved by SQS after maxReceiveCount; see the worker log)';

const preview = (body: string | undefined): string => {
  // One line, and no control characters (a C1 CSI, U+009B, is valid in an SQS body) reach the terminal.
  const line = collapseToOneLine(body ?? '');
  return line.length > BODY_PREVIEW_CHARS ? `${line.slice(0, BODY_PREVIEW_CHARS)}…` : line;
};

const makeVisibleAgain = async (client: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> => {
  for (let start = 0; start < messages.length; start += RECEIVE_BATCH) {
    const entries = messages.slice(start, start + RECEIVE_BATCH).map((message, index) => ({ Id: `m${start + index}`, ReceiptHandle: message.ReceiptHandle ?? '', VisibilityTimeout: 0 }));
    await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
};

/** Sends one message back to its source queue, then deletes it from the DLQ; the error says which step failed. */
const moveMessage = async (target: Target, message: Message): Promise<void> => {
  try {
    await target.client.send(new SendMessageCommand({ QueueUrl: target.sourceQueueUrl, MessageBody: message.Body ?? '', MessageAttributes: originalAttributes(message) }));
  } catch (error) {
    throw new Error(`sending to ${queueNameOf(target.sourceQueueUrl)} failed (${(error as Error).name}: ${(error as Error).message}); it stays in the DLQ`);
  }
  try {
    await target.client.send(new DeleteMessageCommand({ QueueUrl: target.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
  } catch (error) {
    // The copy is on its way: the worker is idempotent, so the duplicate left in the DLQ is harmless to redrive again.
    throw new Error(`sent, but deleting it from the DLQ failed (${(error as Error).name}: ${(error as Error).message}); a copy stays in the DLQ`);
  }
};

const remainingIn = async (client: SQSClient, queueUrl: string): Promise<number | undefined> => {
  try {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  } catch {
    return undefined;
  }
};

/** Receives batches of 10 until the DLQ is empty or `max` is reached; moves each message (or, dry run, lists it). */
const drainDeadLetters = async (target: Target, options: { dryRun: boolean; max: number | undefined }, io: CliIo): Promise<Tally> => {
  const tally: Tally = { moved: 0, failed: 0, listed: 0 };
  const seen = new Set<string>();
  const toRelease: Message[] = [];
  const budget = () => (options.max ?? Number.POSITIVE_INFINITY) - tally.moved - tally.failed - tally.listed;
  try {
    while (budget() > 0) {
      let messages: Message[];
      try {
        const received = await target.client.send(
          new ReceiveMessageCommand({
            QueueUrl: target.deadLetterQueueUrl,
            MaxNumberOfMessages: Math.min(RECEIVE_BATCH, budget()),
            WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
            VisibilityTimeout: MOVE_VISIBILITY_SECONDS,
            MessageAttributeNames: ['All'],
          }),
        );
        messages = (received.Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ''));
      } catch (error) {
        throw sqsProblem(error, `receiving from ${queueNameOf(target.deadLetterQueueUrl)}`);
      }
      if (messages.length === 0) break;
      for (const message of messages) {
        seen.add(message.MessageId ?? '');
        if (options.dryRun) {
          tally.listed += 1;
          toRelease.push(message);
          io.stdout(`would move ${message.MessageId}  ${reasonOf(message)}  ${preview(message.Body)}`);
          continue;
        }
        try {
          await moveMessage(target, message);
          tally.moved += 1;
          io.stdout(`moved ${message.MessageId}  ${reasonOf(message)}`);
        } catch (error) {
          tally.failed += 1;
          toRelease.push(message);
          io.stderr(`failed ${message.MessageId}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    // What was only looked at (dry run) or could not move is visible again at once, for the next run.
    await makeVisibleAgain(target.client, target.deadLetterQueueUrl, toRelease).catch(() => undefined);
  }
  return tally;
};

/**
 * `dockmaster redrive`: moves the messages of an automation's dead-letter queue back to its queue after the
 * cause was fixed, without the failure attributes, each one sent before it is deleted (never lost; at worst
 * sent twice, which the idempotent workers absorb). Exit 0 when all that was asked moved, 1 when some failed.
 */
const createRedriveCommand = (deps: RedriveCommandDeps = {}): Command => ({
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        queue: { type: 'string' },
        'dry-run': { type: 'boolean' },
        max: { type: 'string' },
        region: { type: 'string' },
        stage: { type: 'string' },
        'dlq-url': { type: 'string' },
        'source-url': { type: 'string' },
      },
      usage,
    );
    expectPositionals(positionals, [], usage);
    const options = values as Options;
    const automation = parseAutomation(options.queue);
    const max = parseMax(options.max);
    const dryRun = options['dry-run'] === true;
    const target = await resolveTarget(automation, options, deps);
    try {
      const deadLetterName = queueNameOf(target.deadLetterQueueUrl);
      io.stdout(`${dryRun ? 'would redrive' : 'redriving'} ${automation} in ${target.where}: ${deadLetterName} -> ${queueNameOf(target.sourceQueueUrl)}`);
      const tally = await drainDeadLetters(target, { dryRun, max }, io);
      const remaining = await remainingIn(target.client, target.deadLetterQueueUrl);
      const left = remaining === undefined ? 'remaining unknown' : `remaining ${remaining}`;
      io.stdout(
        dryRun
          ? `dry run: would move ${tally.listed}, moved 0, ${left} in ${deadLetterName}`
          : `moved ${tally.moved}, failed ${tally.failed}, ${left} in ${deadLetterName}`,
      );
      return tally.failed > 0 ? ExitCode.Failed : ExitCode.Ok;
    } finally {
      target.client.destroy();
    }
  },
});

const redriveCommand: Command = createRedriveCommand();

export { createRedriveCommand, redriveCommand };
export type { RedriveCommandDeps };
