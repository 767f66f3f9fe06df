/*
 * The ModelFleet portal backend: the standard Backstage plugins plus the
 * ModelFleet plugin and its catalog and scaffolder modules.
 */

import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterService } from './rootHttpRouter';
import { authModuleTestUser } from './testUserAuth';
import { modelfleetModuleManifests } from '@modelfleet/plugin-scaffolder-backend-module-modelfleet';
import { searchModuleModelfleetDocuments } from './searchDocuments';

const backend = createBackend();

// The default root HTTP router with a keep-alive grace period, so that calls
// the backend makes to itself (the permission backend fetching user info from
// the auth backend) do not die with ECONNRESET; see rootHttpRouter.ts.
backend.add(rootHttpRouterService);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// A second signed-in user for end-to-end tests, when configured (see the file).
backend.add(authModuleTestUser);

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// Entities that failed processing (a malformed Model or GpuPool, say) and why,
// at /api/catalog/entities/unprocessed/failed.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// ModelFleet's policy: a team sees its own costs and acts on its own models,
// platform teams (modelfleet.permissions.platformTeams) on all; every other
// permission is allowed. See docs/permissions.md.
backend.add(
  import('@modelfleet/plugin-permission-backend-module-modelfleet-policy'),
);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators: the catalog, every kind (Model and GpuPool with their
// model, runtime, GPUs and cluster; see searchDocuments.ts), re-indexed on
// search.collators.catalog.schedule. No TechDocs: the portal has no docs
// site, so there is no TechDocs index to query.
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(searchModuleModelfleetDocuments);

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// events, used by the catalog, notifications and signals
backend.add(import('@backstage/plugin-events-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// ModelFleet
backend.add(import('@modelfleet/plugin-modelfleet-backend'));
backend.add(import('@modelfleet/plugin-catalog-backend-module-modelfleet'));
backend.add(import('@modelfleet/plugin-scaffolder-backend-module-modelfleet'));
// The template's renderer, for models the backend moves to another pool.
backend.add(modelfleetModuleManifests);
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-kubernetes'));
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-prometheus'));
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-demo'));
// Live prices and bills; each registers nothing until its section is configured.
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-aws'));
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-azure'));
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-gcp'));
backend.add(import('@modelfleet/plugin-modelfleet-backend-module-opencost'));
// A backend that fails to start (e.g. two replicas migrating a fresh
// database at once) exits, so its supervisor restarts it, rather than
// staying up and answering 404.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error('The backend failed to start', error);
  process.exit(1);
});
