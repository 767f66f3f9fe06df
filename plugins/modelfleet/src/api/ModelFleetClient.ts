import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ClustersResponse,
  EffectivePolicyResponse,
  FleetStatusResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelWorkloadsResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi } from './ModelFleetApi';

/**
 * {@link ModelFleetApi} over the backend's REST API.
 *
 * @public
 */
export class ModelFleetClient implements ModelFleetApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('modelfleet');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }

  getHealth(): Promise<HealthResponse> {
    return this.get('/health');
  }

  getStatus(): Promise<FleetStatusResponse> {
    return this.get('/status');
  }

  getClusters(): Promise<ClustersResponse> {
    return this.get('/clusters');
  }

  getPools(): Promise<GpuPoolsResponse> {
    return this.get('/pools');
  }

  getWorkloads(): Promise<ModelWorkloadsResponse> {
    return this.get('/workloads');
  }

  getEffectivePolicy(team?: string): Promise<EffectivePolicyResponse> {
    const query = team ? `?team=${encodeURIComponent(team)}` : '';
    return this.get(`/policies/effective${query}`);
  }
}
