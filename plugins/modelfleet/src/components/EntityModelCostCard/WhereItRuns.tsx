import { Link } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { RELATION_RUNS_ON } from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';

/** A catalog entity, as the entity page holds it. */
type Entity = ReturnType<typeof useEntity>['entity'];

/** The catalog's annotations of where an entity was read from. */
const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';
const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';

/**
 * The GpuPool entities a Model runs on: its `runsOn` relations (the
 * catalog's reading of the pool its workload runs on, or of `spec.runsOn`),
 * else `spec.runsOn` as written.
 */
export function poolRefsOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_RUNS_ON)
    .map(r => r.targetRef);
  const declared = Array.isArray(entity.spec?.runsOn)
    ? (entity.spec!.runsOn as unknown[]).filter(
        (r): r is string => typeof r === 'string',
      )
    : [];
  return [...new Set(related.length ? related : declared)];
}

/**
 * Where a browser opens a repository: a web page outside the portal, or an
 * entity's page in the catalog.
 */
export type RepositoryLink = { href: string } | { entityRef: string };

/**
 * The repository of an entity's source where it is a web page: the
 * catalog's `backstage.io/source-location` of a `url:` location (a
 * repository on GitHub or another git host), without the `url:` prefix.
 */
export function webSourceOf(entity: Entity): RepositoryLink | undefined {
  const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (!source) return undefined;
  // `url:https://github.com/org/repo/tree/main/`
  const target = /^url:(https?:\/\/.+)$/.exec(source)?.[1];
  return target ? { href: target } : undefined;
}

/**
 * The repository a Model was deployed to, in a form a browser opens: its
 * web page on the git host, or, for the local GitOps target (bare git
 * repositories beside the portal, read through `file:` locations no
 * browser opens), the catalog page of the repository's Location: the
 * entity that registered the Model from its `catalog-info.yaml` (as the
 * Deploy result page links it). Nothing for a Model registered otherwise,
 * such as the demo's.
 */
export function useRepositoryLink(entity: Entity): RepositoryLink | undefined {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const web = webSourceOf(entity);
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  const local = !web && location?.startsWith('file:') ? location : undefined;
  const { value } = useAsync(async () => {
    if (!local || !catalogApi) return undefined;
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'Location',
        [`metadata.annotations.${ANNOTATION_LOCATION}`]: local,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items[0];
  }, [catalogApi, local]);
  if (web) return web;
  if (!value) return undefined;
  const namespace = value.metadata.namespace ?? 'default';
  return { entityRef: `location:${namespace}/${value.metadata.name}` };
}

/**
 * A line of links at the top of the Model page's cost card: the GpuPool
 * it runs on, and the GitOps repository it was deployed from, where there
 * is one.
 */
export const WhereItRuns = () => {
  const { entity } = useEntity();
  const pools = poolRefsOf(entity);
  const repository = useRepositoryLink(entity);
  if (pools.length === 0 && !repository) return null;
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="model-where-it-runs"
      style={{ marginBottom: 12, overflowWrap: 'anywhere' }}
    >
      {pools.length > 0 && (
        <>
          Runs on{' '}
          {pools.map((ref, i) => (
            <span key={ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={ref} defaultKind="gpupool" />
            </span>
          ))}
          {repository ? ' · ' : ''}
        </>
      )}
      {repository &&
        ('href' in repository ? (
          <Link to={repository.href} target="_blank" rel="noopener noreferrer">
            GitOps repository
          </Link>
        ) : (
          <EntityRefLink entityRef={repository.entityRef} hideIcon>
            GitOps repository
          </EntityRefLink>
        ))}
    </Typography>
  );
};
