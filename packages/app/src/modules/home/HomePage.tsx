import { Content, Header, Page } from '@backstage/core-components';
import { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import { ModelFleetHomeOverview } from '@modelfleet/plugin-modelfleet';
import { Link as RouterLink } from 'react-router-dom';

/**
 * The Deploy a model template (templates/deploy-model), under the
 * scaffolder's default mount point.
 */
export const DEPLOY_MODEL_PATH = '/create/templates/default/deploy-model';

/**
 * The home page: ModelFleet's overview of the signed-in user's teams (cost
 * this month against budget, idle waste, anomalies, actions) under a header
 * with the Deploy a model button, and the search bar widget when the search
 * plugin provides it. The home plugin's other widgets are not shown.
 */
export const HomePageLayout = ({ widgets }: HomePageLayoutProps) => {
  const searchBar = widgets.find(w => w.name === 'HomePageSearchBar');
  return (
    <Page themeId="home">
      <Header
        title="ModelFleet"
        subtitle="What your teams' AI models cost on GPUs, what sits idle, what changed"
        pageTitleOverride="Home"
      >
        {/* The header's right side is a spaced grid: as its item, the
            button keeps clear of the subtitle on a narrow screen. */}
        <Grid item>
          <Button
            variant="contained"
            color="primary"
            size="large"
            component={RouterLink}
            to={DEPLOY_MODEL_PATH}
            startIcon={<CloudUploadIcon />}
            data-testid="home-deploy-model"
          >
            Deploy a model
          </Button>
        </Grid>
      </Header>
      <Content>
        {searchBar && <Box mb={3}>{searchBar.component}</Box>}
        <ModelFleetHomeOverview />
      </Content>
    </Page>
  );
};
