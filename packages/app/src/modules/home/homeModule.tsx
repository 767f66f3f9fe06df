import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageLayoutBlueprint } from '@backstage/plugin-home-react/alpha';

/**
 * The home page's layout: ModelFleet's overview instead of the home
 * plugin's customizable widget grid (app-config.yaml mounts the home page
 * at `/` and turns the stock widgets off).
 */
const homePageLayout = HomePageLayoutBlueprint.make({
  name: 'modelfleet',
  params: {
    loader: () => import('./HomePage').then(m => m.HomePageLayout),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [homePageLayout],
});
