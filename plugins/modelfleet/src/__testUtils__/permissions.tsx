import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { ModelFleetApi, modelfleetApiRef } from '../api';

/** What the mock permission API answers: one result, or one per request. */
export type Authorize =
  | AuthorizeResult.ALLOW
  | AuthorizeResult.DENY
  | ((
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);

/**
 * The APIs of a card under test: `api` as ModelFleet's backend and
 * `mockApis.permission` answering `authorize` (allow by default) or the
 * given `permissionApi`, in a fresh SWR cache: `usePermission` caches
 * answers by permission and resource, which would otherwise leak from one
 * test into the next.
 */
export const CardApis = (props: {
  api: ModelFleetApi;
  authorize?: Authorize;
  permissionApi?: PermissionApi;
  children: ReactNode;
}) => (
  <SWRConfig value={{ provider: () => new Map() }}>
    <TestApiProvider
      apis={[
        [modelfleetApiRef, props.api],
        [
          permissionApiRef,
          props.permissionApi ??
            mockApis.permission({
              authorize: props.authorize ?? AuthorizeResult.ALLOW,
            }),
        ],
      ]}
    >
      {props.children}
    </TestApiProvider>
  </SWRConfig>
);

/** A permission API answer that allows only the named permissions. */
export const allowOnly =
  (...names: string[]) =>
  (request: EvaluatePermissionRequest) =>
    names.includes(request.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
