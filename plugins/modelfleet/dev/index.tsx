import ReactDOM from 'react-dom/client';
import { createApp } from '@backstage/frontend-defaults';
import plugin from '../src/alpha';

// `yarn start` in this package serves the new frontend system plugin in a dev
// app, with the repository's app-config. The page reads the backend at
// `backend.baseUrl` (:7007); see the README for the `app.baseUrl` override.
// The app is made with frontend-defaults' createApp: frontend-dev-utils'
// createDevApp is still built against the previous frontend-plugin-api.
const app = createApp({ features: [plugin] });

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
