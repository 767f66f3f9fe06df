import { createDevApp } from '@backstage/frontend-dev-utils';
import plugin from '../src/alpha';

// `yarn start` in this package serves the new frontend system plugin in a dev
// app, with the repository's app-config. The page reads the backend at
// `backend.baseUrl` (:7007); see the README for the `app.baseUrl` override.
createDevApp({ features: [plugin] });
