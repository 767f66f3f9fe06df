import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A minimal backend with only ModelFleet, for working on the plugin alone:
//   yarn start   (in this package), then
//   curl localhost:7007/api/modelfleet/health
//   curl localhost:7007/api/modelfleet/status -H 'Authorization: Bearer mock-user-token'
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
