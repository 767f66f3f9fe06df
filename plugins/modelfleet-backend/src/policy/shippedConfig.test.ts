import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { readModelFleetBackendConfig } from '../config';
import { effectivePolicy } from './effectivePolicy';
import { readPolicyConfig } from './policyConfig';

// The portal's own app-config must start: its policies are validated here.
const appConfig = yaml.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../app-config.yaml'),
    'utf8',
  ),
);

describe('the shipped app-config.yaml', () => {
  const config = new ConfigReader(appConfig);

  it('has valid ModelFleet policies and loop settings', () => {
    expect(() => readModelFleetBackendConfig(config)).not.toThrow();
    const policies = readPolicyConfig(config);
    expect(Object.keys(policies.teams ?? {})).toEqual([
      'search-team',
      'assistant-team',
      'vision-team',
      'speech-team',
    ]);
  });

  it('keeps the search and speech teams dry-run, gives vision-team enforced hibernation and assistant-team enforced arbitrage', () => {
    const policies = readPolicyConfig(config);
    for (const team of Object.keys(policies.teams ?? {})) {
      expect(effectivePolicy(policies, team).policy.dryRun).toBe(
        !['vision-team', 'assistant-team'].includes(team),
      );
    }
    const assistant = effectivePolicy(policies, 'assistant-team');
    expect(assistant.policy.arbitrage.mode).toBe('enforce');
    expect(assistant.policy.hibernation.mode).toBe('recommend');
    const vision = effectivePolicy(policies, 'vision-team');
    expect(vision.policy.hibernation).toMatchObject({
      mode: 'enforce',
      idleMinutes: 15,
    });
    expect(vision.sources['hibernation.mode']).toBe(
      'modelfleet.policies.teams.vision-team.hibernation.mode',
    );
  });
});
