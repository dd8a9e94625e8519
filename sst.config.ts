/// <reference path="./.sst/platform/config.d.ts" />

/*
 * Dockmaster's stack. The infra modules are imported inside run() because the sst/aws/$app globals only
 * exist there; infra/config is imported first so an invalid configuration stops the deploy before any
 * resource is declared. The configuration file is DOCKMASTER_CONFIG (default: the example).
 */
export default $config({
  app(input) {
    return {
      name: 'dockmaster',
      home: 'aws',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
    };
  },
  async run() {
    const { checkAccountPrerequisites, checkDeployTarget, topology } = await import('./infra/config');
    await checkDeployTarget();
    await checkAccountPrerequisites();
    const { configTable, createConfigMarker } = await import('./infra/storage');
    const { dockmasterBus } = await import('./infra/bus');
    const { teamTopics } = await import('./infra/alerts');
    const { caches, templates } = await import('./infra/cache');
    const { workers } = await import('./infra/automations');
    // Last: its change event must find every rule and the new content in place.
    const configParameter = createConfigMarker(workers.flatMap((worker) => worker.delivery));
    const { dashboard } = await import('./infra/dashboard');
    return {
      configParameter: configParameter.name,
      configTable: configTable.name,
      bus: dockmasterBus.name,
      dashboard: dashboard.dashboardName,
      pullThroughCacheRules: caches.map(({ rule }) => rule.ecrRepositoryPrefix),
      repositoryTemplates: templates.map(({ prefix }) => prefix),
      teamTopics: Object.fromEntries(teamTopics.map(({ team, topic }) => [team, topic.arn])),
      queues: Object.fromEntries(workers.map(({ id, queue }) => [id, queue.url])),
      deadLetterQueues: Object.fromEntries(workers.map(({ id, dlq }) => [id, dlq.url])),
      automationsWithoutRules: topology.automations.filter((automation) => automation.rules.length === 0).map((automation) => automation.id),
    };
  },
});
