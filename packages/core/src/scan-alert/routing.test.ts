import { describe, expect, it } from 'vitest';
import { buildAlert } from './alert.js';
import { configWith, imageScanSubject } from './fixtures/subjects.js';
import { scanAlertRouting } from './routing.js';

describe('scanAlertRouting', () => {
  it('says scan alerts are off when the configuration has no scanAlerts section, with the reason buildAlert gives', () => {
    // Prepare
    const config = configWith(null);

    // Act
    const routing = scanAlertRouting(config, 'prod/payments/api');
    const built = buildAlert({ config, subject: imageScanSubject(), findings: [], now: new Date('2026-05-04T10:00:00.000Z') });

    // Assess
    expect(routing).toEqual({ on: false, reason: 'scan alerts are off: the configuration has no scanAlerts section' });
    expect(built.reason).toBe(routing.on ? 'unreachable' : routing.reason);
  });

  it.each([
    ['a route', 'prod/payments/api', 'payments'],
    ['the allow-list owner before the catch-all', 'k8s/coredns/coredns', 'platform-dns'],
  ])('routes to the owning team (%s) with the scanAlerts settings', (_label, repository, team) => {
    // Prepare
    const config = configWith();

    // Act
    const routing = scanAlertRouting(config, repository);

    // Assess
    expect(routing).toEqual({ on: true, settings: config.scanAlerts, team, notInUse: 'page' });
  });

  it('is on but routes nowhere for a repository no route or owner covers', () => {
    // Prepare
    const config = configWith({ routes: [{ repositories: ['vendor/**'], team: 'vendors' }] });

    // Act
    const routing = scanAlertRouting(config, 'prod/payments/api');

    // Assess
    expect(routing).toMatchObject({ on: true, team: null });
  });

  it.each([
    ['the first covering route', 'prod/payments/api', 'skip'],
    ['a later route when the first does not cover the repository', 'dev/tools', 'low-urgency'],
    ['the first covering route, also when an allow-list owner takes the alert', 'k8s/coredns/coredns', 'low-urgency'],
  ] as const)("takes notInUse from %s", (_label, repository, notInUse) => {
    // Prepare
    const config = configWith({
      routes: [
        { repositories: ['prod/payments/**'], team: 'payments', notInUse: 'skip' },
        { repositories: ['**'], team: 'platform', notInUse: 'low-urgency' },
      ],
    });

    // Act
    const routing = scanAlertRouting(config, repository);

    // Assess
    expect(routing).toMatchObject({ on: true, notInUse });
  });
});
