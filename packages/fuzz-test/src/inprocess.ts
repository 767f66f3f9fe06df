/*
 * In-process targets: the catalog kinds' validators (through the catalog
 * module's processor, as the catalog calls them) and the parser of
 * `modelfleet.policies`.
 */
import { ConfigReader } from '@backstage/config';
import { ModelFleetEntitiesProcessor } from '@modelfleet/plugin-catalog-backend-module-modelfleet';
import {
  gpuPoolEntityV1alpha1Schema,
  modelEntityV1alpha1Schema,
} from '@modelfleet/plugin-modelfleet-common';
import {
  PolicyService,
  readPolicyConfig,
} from '@modelfleet/plugin-modelfleet-backend/alpha';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { SECRET } from './hostile';
import {
  applyToValue,
  expectedPaths,
  getAt,
  Mutation,
  objectPaths,
  Place,
  valuePaths,
} from './mutate';
import { namesAny } from './names';
import { Outcome } from './outcome';
import { describeMutation, Target } from './runner';

/** A thrown error as an outcome: a validation error is a rejection, anything else a crash. */
export function judgeThrown(
  e: unknown,
  isValidation: (e: Error) => boolean,
  m: Mutation,
  baseInput?: unknown,
): Outcome {
  const err = e instanceof Error ? e : new Error(String(e));
  const message = `${err.name}: ${err.message}`;
  if (!isValidation(err)) {
    return {
      verdict: 'server-error',
      message: `${message}${
        err.stack ? ` @ ${err.stack.split('\n')[1]?.trim()}` : ''
      }`,
    };
  }
  return {
    verdict: namesAny(err.message, expectedPaths(m, baseInput))
      ? 'named'
      : 'unnamed',
    message,
  };
}

/** The places of an in-process input, and its value at each. */
export const inputPlaces = (base: unknown) => ({
  valuePlaces: valuePaths(base).map(p => ({
    where: 'input' as const,
    path: p,
  })),
  keyPlaces: objectPaths(base).map(p => ({ where: 'input' as const, path: p })),
  valueAt: (place: Place) => getAt(base, place.path),
});

/** The `Model` and `GpuPool` kinds, each from its schema's example. */
export function kindTargets(runs: number, exampleCap: number): Target[] {
  const processor = new ModelFleetEntitiesProcessor();
  const kinds = [
    { kind: 'Model', schema: modelEntityV1alpha1Schema },
    { kind: 'GpuPool', schema: gpuPoolEntityV1alpha1Schema },
  ];
  return kinds.map(({ kind, schema }) => {
    const example = (schema as any).examples[0];
    const base = {
      ...example,
      metadata: { namespace: 'default', ...example.metadata },
    };
    const id = `kind ${kind}`;
    return {
      id,
      surface: 'kinds' as const,
      ...inputPlaces(base),
      badBody: false,
      runs,
      exampleCap,
      describe: (m: Mutation) => `${id}: ${describeMutation(m)}`,
      async run(m: Mutation): Promise<Outcome> {
        const entity = applyToValue(base, m);
        try {
          const ok = await processor.validateEntityKind(entity);
          if (!ok) return { verdict: 'not-this-kind' };
        } catch (e) {
          return judgeThrown(e, err => err instanceof TypeError, m);
        }
        const source = getAt(entity, ['spec', 'source']);
        return {
          verdict: 'accepted',
          ...(typeof source === 'string' && source.includes(SECRET)
            ? {
                unsafe:
                  'a credential in spec.source is accepted into the catalog',
              }
            : {}),
        };
      },
    };
  });
}

/** `modelfleet.policies` of the repository's app-config.yaml. */
export function shippedPolicies(root: string): Record<string, unknown> {
  const doc = yaml.parse(
    fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  );
  return doc.modelfleet.policies;
}

/**
 * The policy parser, as the backend runs it at start: `readPolicyConfig`
 * on a ConfigReader, then each team's effective policy.
 */
export function policyTarget(
  root: string,
  runs: number,
  exampleCap: number,
): Target {
  const base = shippedPolicies(root);
  const id = 'config modelfleet.policies';
  return {
    id,
    surface: 'config',
    ...inputPlaces(base),
    badBody: false,
    runs,
    exampleCap,
    // Backstage's ConfigReader itself overflows its stack at about 1,500
    // levels; the operator writes app-config, so 200 is deep enough.
    maxNesting: 200,
    describe: m => `${id}: ${describeMutation(m)}`,
    async run(m) {
      const policies = applyToValue(base, m);
      let parsed;
      try {
        parsed = readPolicyConfig(
          new ConfigReader({ modelfleet: { policies } } as any, 'fuzz'),
        );
      } catch (e) {
        return judgeThrown(e, err => /^Invalid\b/.test(err.message), m);
      }
      try {
        const service = new PolicyService(parsed);
        service.effective();
        for (const team of service.teams()) {
          try {
            service.effective(team);
          } catch (e) {
            // A team name that is no Group name: refused when asked for.
            if ((e as Error).name !== 'InputError') throw e;
          }
        }
      } catch (e) {
        return judgeThrown(e, () => false, m);
      }
      return { verdict: 'accepted' };
    },
  };
}
