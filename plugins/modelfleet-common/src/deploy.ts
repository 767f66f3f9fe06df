/**
 * Deploying a model through the ModelFleet backend (`POST /deployments`):
 * the kinds a model deployment is made of, the namespaces it never goes to,
 * and the REST shapes.
 */
import type { KubeObject, ModelFleetAction } from './actions';

/**
 * The objects `modelfleet:manifests:render` produces, by apiVersion and
 * kind. A deployment made of anything else is refused: a model needs
 * nothing more, and each extra kind is a way out of its namespace.
 *
 * @public
 */
export const MODEL_DEPLOYMENT_KINDS: ReadonlyArray<{
  apiVersion: string;
  kind: string;
}> = [
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' },
  { apiVersion: 'http.keda.sh/v1alpha1', kind: 'HTTPScaledObject' },
  { apiVersion: 'serving.knative.dev/v1', kind: 'Service' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
];

/**
 * Namespaces no model is deployed to, whatever the configuration adds
 * (`modelfleet.deploy.deniedNamespaces` extends this list).
 *
 * @public
 */
export const DEFAULT_DENIED_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * `POST /deployments`: deploy a model's objects to a cluster.
 *
 * @public
 */
export interface DeploymentRequest {
  /** The cluster, as the actuators name it. */
  cluster: string;
  /** The model's namespace; every object must be in it. */
  namespace: string;
  /** The Model entity, `model:default/chat` (or its name). */
  model: string;
  /**
   * The owner Group the template names. Used only while the Model is not
   * yet in the catalog (a first deploy); after that the catalog's owner
   * decides the policy.
   */
  owner?: string;
  manifests: KubeObject[];
  /**
   * True: the API server checks the objects (server dry-run) and nothing
   * is stored. False: a `deploy` action is stored.
   */
  dryRun?: boolean;
  /** Asking twice with the same key returns the same action. */
  idempotencyKey: string;
  /** Why, for people reading the action. */
  reason?: string;
}

/**
 * What the API server said about one object in a server dry-run.
 *
 * @public
 */
export interface DryRunObject {
  kind: string;
  name: string;
  namespace?: string;
  /** The object as the API server would store it. */
  object: KubeObject;
}

/**
 * `POST /deployments`: the stored action, or the server dry-run's objects.
 *
 * @public
 */
export type DeploymentResponse =
  | { action: ModelFleetAction }
  | { dryRun: { objects: DryRunObject[] } };
