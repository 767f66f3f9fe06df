import { createDevApp } from '@backstage/frontend-dev-utils';
import plugin from '../src/alpha';

// `yarn start` in this package runs the page against a backend on :7007.
createDevApp({ features: [plugin] });
