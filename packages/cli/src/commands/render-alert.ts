import type { DockmasterConfig } from '@dockmaster/core/config';
import { parseScanEvent, SCAN_EVENT_DETAIL_TYPES, type ScanEvent } from '@dockmaster/core/events/scan';
import { isRecord } from '@dockmaster/core/shared';
import {
  buildAlert,
  DescribeImageScanFindingsSchema,
  inUseFromScanFindings,
  normalizeScanFindings,
  pagerDutyResolve,
  pagerDutyTrigger,
  renderAlertMessage,
  renderResolvedMessage,
  toAlertJson,
  toScanSubject,
  type BuildAlertResult,
  type Finding,
  type InUse,
  type ScanSubject,
} from '@dockmaster/core/scan-alert';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import { readUserJson, type CliIo } from '../io.js';

const usage = 'dockmaster render-alert --config <file> [--findings <describe-image-scan-findings.json>] [--json | --format text|json|pagerduty] <event.json>';

type HintImage = { repository: string; digest: string; region?: string; account?: string };

/**
 * Where the findings come from; the worker makes the same call (through the SDK paginator). Region and registry are
 * the event's: without them the CLI asks the profile's default region and account, which may not hold the image.
 */
const findingsHint = (image: HintImage = { repository: '<repository>', digest: '<digest>', region: '<region>', account: '<account>' }): string =>
  `pass --findings <file> with the output of: aws ecr describe-image-scan-findings --region ${image.region ?? '<region>'} --registry-id ${image.account ?? '<account>'} --repository-name ${image.repository} --image-id imageDigest=${image.digest}`;

/** The scan event in the file, or a usage error that says what the file is instead. */
const readScanEvent = (path: string): ScanEvent => {
  const input = readUserJson(path, 'event');
  const detailType = isRecord(input) ? input['detail-type'] : undefined;
  if (typeof detailType !== 'string' || !(SCAN_EVENT_DETAIL_TYPES as readonly string[]).includes(detailType)) {
    const what = typeof detailType === 'string' ? `a "${detailType}" event` : 'not an EventBridge event (no "detail-type")';
    throw new UsageError(`${path} is ${what}; render-alert reads ${SCAN_EVENT_DETAIL_TYPES.map((type) => `"${type}"`).join(', ')} events`);
  }
  const parsed = parseScanEvent(input);
  if (!parsed.ok) throw new UsageError(`${path}: ${parsed.reason}`);
  return parsed.event;
};

/**
 * The findings in a DescribeImageScanFindings response (one page, or an array of pages). The core schema
 * accepts any object, since every field of the response is optional; requiring one of the two top-level
 * keys is what tells a response from an unrelated JSON file.
 */
const readFindings = (path: string): { findings: Finding[]; digests: string[]; repositories: string[]; inUse: InUse | undefined } => {
  const input = readUserJson(path, 'DescribeImageScanFindings response');
  const pages = Array.isArray(input) ? input : [input];
  const problem = pages.findIndex((page) => !isRecord(page) || (!isRecord(page['imageScanFindings']) && !isRecord(page['imageScanStatus'])));
  if (pages.length === 0 || problem >= 0) {
    const where = Array.isArray(input) ? ` (page ${problem + 1})` : '';
    throw new UsageError(
      `${path}${where} is not a DescribeImageScanFindings response: expected an object with "imageScanFindings" (and "imageScanStatus"); ${findingsHint()}`,
    );
  }
  for (const [index, page] of pages.entries()) {
    const parsed = DescribeImageScanFindingsSchema.safeParse(page);
    if (!parsed.success) {
      const where = Array.isArray(input) ? ` (page ${index + 1})` : '';
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
      throw new UsageError(`${path}${where} is not a DescribeImageScanFindings response: ${problems}`);
    }
  }
  const digests = pages.flatMap((page) => {
    const imageId = (page as Record<string, unknown>)['imageId'];
    const digest = isRecord(imageId) ? imageId['imageDigest'] : undefined;
    return typeof digest === 'string' ? [digest] : [];
  });
  const repositories = pages.flatMap((page) => {
    const repository = (page as Record<string, unknown>)['repositoryName'];
    return typeof repository === 'string' ? [repository] : [];
  });
  return { findings: normalizeScanFindings(pages), digests, repositories, inUse: inUseFromScanFindings(pages) };
};

const renderHuman = (result: BuildAlertResult, subject: ScanSubject, findingsGiven: boolean): string => {
  const blocks: string[] = [];
  if (result.alert) {
    const message = renderAlertMessage(result.alert);
    blocks.push(`Subject: ${message.subject}\n\n${message.body}`);
  }
  if (result.resolved) {
    const message = renderResolvedMessage(result.resolved);
    blocks.push(`Subject: ${message.subject}\n\n${message.body}`);
  }
  if (!result.alert) {
    // An Inspector2 Finding carries its finding; an Inspector2 Coverage change has none to read.
    const needsFindings = !findingsGiven && subject.kind !== 'inspector-finding' && subject.kind !== 'inspector-coverage';
    blocks.push(`No alert would be sent: ${result.reason ?? 'nothing to alert'}${needsFindings ? `\nTo evaluate the findings, ${findingsHint(subject)}` : ''}`);
  }
  return blocks.join('\n\n----\n\n');
};

const FORMATS = ['text', 'json', 'pagerduty'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `--format pagerduty`: the Events API v2 bodies the team's API destination would POST, one JSON document per
 * line (the trigger, then a resolve); routing_key is left out, as the EventBridge connection adds it.
 */
const renderPagerDuty = (result: BuildAlertResult): string => {
  const bodies = [result.alert ? pagerDutyTrigger(result.alert) : null, result.resolved ? pagerDutyResolve(result.resolved) : null];
  return bodies.flatMap((body) => (body ? [JSON.stringify(body)] : [])).join('\n');
};

const formatOf = (values: { json?: boolean | undefined; format?: string | undefined }): Format => {
  if (values.format !== undefined && !(FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"\n${usage}`);
  }
  if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError(`--json and --format ${values.format} contradict each other\n${usage}`);
  return values.json ? 'json' : ((values.format as Format | undefined) ?? 'text');
};

type RenderAlertOptions = { clock?: () => Date };

/**
 * `dockmaster render-alert`: what the scan-alert worker would send for an event, computed by the same
 * core functions, as a first alert for the image (the CLI has no stored state). Exit 0 whether or not
 * it alerts; 2 when the input cannot be read.
 */
const createRenderAlertCommand = ({ clock = () => new Date() }: RenderAlertOptions = {}): Command => ({
  usage,
  run: async (args: string[], io: CliIo) => {
    const { values, positionals } = parseCommandArgs(
      args,
      { config: { type: 'string' }, findings: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' } },
      usage,
    );
    const format = formatOf(values);
    const [eventFile] = expectPositionals(positionals, ['event.json'], usage) as [string];
    const config: DockmasterConfig = loadConfigFile(values.config, usage);
    const subject = toScanSubject(readScanEvent(eventFile));
    const given = values.findings ? readFindings(values.findings) : undefined;
    const otherDigests = [...new Set(given?.digests ?? [])].filter((digest) => digest !== subject.digest);
    if (otherDigests.length > 0) {
      io.stderr(`warning: ${values.findings} is for ${otherDigests.join(', ')}, the event for ${subject.digest}; rendering them together anyway`);
    }
    const otherRepositories = [...new Set(given?.repositories ?? [])].filter((repository) => repository !== subject.repository);
    if (otherRepositories.length > 0) {
      io.stderr(`warning: ${values.findings} is for the repository ${otherRepositories.join(', ')}, the event for ${subject.repository}; rendering them together anyway`);
    }

    const result = buildAlert({ config, subject, findings: given?.findings ?? [], inUse: given?.inUse, previous: null, now: clock() });
    if (format === 'pagerduty') {
      const team = result.alert?.team ?? result.resolved?.team ?? null;
      if (team !== null && config.teams[team]?.pagerduty === undefined) {
        // The worker's PagerDuty rule exists only for teams with a destination: nothing would be POSTed for this one.
        io.stderr(`No PagerDuty event would be sent: team ${team} has no pagerduty destination (add teams.${team}.pagerduty to ${values.config ?? 'the configuration'})`);
        return ExitCode.Ok;
      }
      const bodies = renderPagerDuty(result);
      if (bodies === '') io.stderr(`No PagerDuty event would be sent: ${result.reason ?? 'a partial resolution leaves the PagerDuty alert open'}`);
      else io.stdout(bodies);
      return ExitCode.Ok;
    }
    io.stdout(format === 'json' ? JSON.stringify(toAlertJson(result)) : renderHuman(result, subject, given !== undefined));
    return ExitCode.Ok;
  },
});

const renderAlertCommand: Command = createRenderAlertCommand();

export { createRenderAlertCommand, renderAlertCommand };
export type { RenderAlertOptions };
