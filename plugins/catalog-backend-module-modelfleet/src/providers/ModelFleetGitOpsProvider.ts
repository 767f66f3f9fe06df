import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  LocationEntityV1alpha1,
} from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  GITOPS_PUBLISHED_TOPIC,
  LocalGitRepositories,
  localGitOpsLocationName,
} from '@modelfleet/plugin-modelfleet-node';

/**
 * Registers the repositories of the local GitOps target
 * (`modelfleet.gitops.local.root`) in the catalog: one `file` Location per
 * repository with a `catalog-info.yaml`, read from its working copy, which
 * is brought up to the default branch first. Runs on its schedule and at
 * once when the scaffolder publishes a repository.
 *
 * @public
 */
export class ModelFleetGitOpsProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      repos: LocalGitRepositories;
      taskRunner: SchedulerServiceTaskRunner;
      events?: EventsService;
      logger: LoggerService;
    },
  ) {}

  getProviderName(): string {
    return 'modelfleet-gitops';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: 'modelfleet-gitops-refresh',
      fn: () => this.refresh(),
    });
    await this.options.events?.subscribe({
      id: 'modelfleet-gitops-provider',
      topics: [GITOPS_PUBLISHED_TOPIC],
      onEvent: async () => {
        await this.refresh();
      },
    });
  }

  /** Syncs the working copies and replaces the provider's Locations. */
  async refresh(): Promise<void> {
    if (!this.connection) throw new Error('not connected to the catalog');
    const repos = await this.options.repos.sync();
    const entities = repos
      .filter(r => r.catalogInfoPath)
      .map(r => {
        const location = `file:${r.catalogInfoPath}`;
        const entity: LocationEntityV1alpha1 = {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: {
            name: localGitOpsLocationName(r.name),
            description: `The local GitOps repository ${r.remoteUrl}`,
            annotations: {
              [ANNOTATION_LOCATION]: location,
              [ANNOTATION_ORIGIN_LOCATION]: location,
            },
          },
          spec: { type: 'file', target: r.catalogInfoPath },
        };
        return { entity, locationKey: `modelfleet-gitops:${r.name}` };
      });
    await this.connection.applyMutation({ type: 'full', entities });
    this.options.logger.info(
      `Registered ${entities.length} local GitOps repositories`,
    );
  }
}
