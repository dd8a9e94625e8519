import type { CommandEntry } from '../command.js';
import { LOCAL_SUBCOMMANDS } from './local-subcommands.js';

/** Every command, in the order `dockmaster --help` lists them; each module loads only when it runs. */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'Check a configuration file and report every problem with its position',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'check-tag',
    summary: 'Check a tag (and optional labels) against the tag policies before pushing',
    load: async () => (await import('./check-tag.js')).checkTagCommand,
  },
  {
    name: 'explain',
    summary: 'Show which automations an EventBridge event reaches under a config',
    load: async () => (await import('./explain.js')).explainCommand,
  },
  {
    name: 'test-pattern',
    summary: "Test an event pattern against an event, like EventBridge's TestEventPattern",
    load: async () => (await import('./test-pattern.js')).testPatternCommand,
  },
  {
    name: 'render-policy',
    summary: 'Show the repository policy Dockmaster would set on a cache repository',
    load: async () => (await import('./render-policy.js')).renderPolicyCommand,
  },
  {
    name: 'rewrite-image',
    summary: 'Print the cache reference a cluster should pull instead of an upstream image reference',
    load: async () => (await import('./rewrite-image.js')).rewriteImageCommand,
  },
  {
    name: 'render-rewrite',
    summary: 'Print the Kyverno policy or Renovate registryAliases that send image pulls to the cache',
    load: async () => (await import('./render-rewrite.js')).renderRewriteCommand,
  },
  {
    name: 'prepopulate',
    summary: 'Warm (or --dry-run: list) the allow-listed images through a registry endpoint',
    load: async () => (await import('./prepopulate.js')).prepopulateCommand,
  },
  {
    name: 'render-alert',
    summary: 'Show the scan alert (subject and body, or --json) an event would send',
    load: async () => (await import('./render-alert.js')).renderAlertCommand,
  },
  {
    name: 'redrive',
    summary: 'Move dead-letter messages back to their queue after a fix (--dry-run lists them)',
    load: async () => (await import('./redrive.js')).redriveCommand,
  },
  {
    name: 'sync',
    summary: 'Copy every tag of repositories between registries, digests preserved (--state for cheap re-runs)',
    load: async () => (await import('./sync.js')).syncCommand,
  },
  {
    name: 'local',
    summary: `Run every automation end to end on local registries (${LOCAL_SUBCOMMANDS.join(', ')})`,
    load: async () => (await import('./local.js')).localCommand,
  },
];

export { COMMANDS };
