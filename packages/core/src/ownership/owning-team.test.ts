import { describe, expect, it } from 'vitest';
import { configWith } from '../scan-alert/fixtures/subjects.js';
import { owningTeam } from './owning-team.js';

describe('owningTeam', () => {
  it.each([
    ['the first matching route wins over a later catch-all', 'prod/payments/api', 'payments'],
    ['a route glob with ** crosses slashes', 'prod/payments/api/worker', 'payments'],
    ['the catch-all takes everything else', 'dev/tools', 'platform'],
    ['the allow-list owner comes before the catch-all route', 'k8s/coredns/coredns', 'platform-dns'],
    ['a cached image without an owner follows the routes', 'k8s/pause', 'platform'],
  ])('with the example routes: %s', (_label, repository, team) => {
    // Prepare
    const config = configWith();

    // Act
    const routed = owningTeam(config, repository);

    // Assess
    expect(routed).toBe(team);
  });

  it('the first matching route wins when two specific routes match', () => {
    // Prepare
    const config = configWith({
      routes: [
        { repositories: ['prod/*/api'], team: 'api-guild' },
        { repositories: ['prod/payments/**'], team: 'payments' },
      ],
    });

    // Act
    const routed = owningTeam(config, 'prod/payments/api');

    // Assess
    expect(routed).toBe('api-guild');
  });

  it.each([
    ['a cached image with an owner goes to that owner', 'k8s/coredns/coredns', 'platform-dns'],
    ['a cached image without an owner goes nowhere in particular', 'k8s/pause', null],
    ['an image only under a similar prefix is not cached', 'k8sx/coredns/coredns', null],
    ['an image not on the allow-list has no owner', 'k8s/other/image', null],
    ['a repository outside every prefix goes nowhere in particular', 'prod/payments/api', null],
  ])('without a matching route: %s', (_label, repository, team) => {
    // Prepare
    const config = configWith({ routes: [{ repositories: ['vendor/**'], team: 'vendors' }] });

    // Act
    const routed = owningTeam(config, repository);

    // Assess
    expect(routed).toBe(team);
  });
});
