import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { SidebarLogo } from './SidebarLogo';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import { SidebarSearchModal } from '@backstage/plugin-search';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import { DocumentTitle } from './DocumentTitle';

/**
 * Sidebar labels in place of a page's own title: short enough that no
 * entry is cut off, and naming what the page is in this portal.
 */
export const NAV_LABELS: Record<string, string> = {
  'page:modelfleet': 'Fleet',
  'page:catalog-import': 'Register',
  'page:scaffolder': 'Create',
};

const labelOf = (item: { node: { spec: { id: string } }; title: string }) =>
  NAV_LABELS[item.node.spec.id] ?? item.title;

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const pages = navItems
        .clone()
        .rest()
        .map(item => ({ href: item.href, title: labelOf(item) }));
      const nav = navItems.withComponent(item => (
        <SidebarItem
          icon={() => item.icon}
          to={item.href}
          text={labelOf(item)}
        />
      ));

      // Skipped items
      nav.take('page:search'); // Using search modal instead
      nav.take('page:notifications'); // Using NotificationsSidebarItem manually instead
      nav.take('page:catalog-graph'); // Reached from an entity's relations card

      return (
        <Sidebar>
          <DocumentTitle pages={pages} />
          <SidebarLogo />
          <SidebarGroup label="Search" icon={<SearchIcon />} to="/search">
            <SidebarSearchModal />
          </SidebarGroup>
          <SidebarDivider />
          <SidebarGroup label="Menu" icon={<MenuIcon />}>
            {nav.take('page:home')}
            {nav.take('page:modelfleet')}
            {nav.take('page:catalog')}
            {nav.take('page:scaffolder')}
            <SidebarDivider />
            <SidebarScrollWrapper>
              {nav.rest({ sortBy: 'title' })}
            </SidebarScrollWrapper>
          </SidebarGroup>
          <SidebarSpace />
          <SidebarDivider />
          <NotificationsSidebarItem />
          <SidebarDivider />
          <SidebarGroup
            label="Settings"
            icon={<UserSettingsSignInAvatar />}
            to="/settings"
          >
            {nav.take('page:app-visualizer')}
            {nav.take('page:user-settings')}
          </SidebarGroup>
        </Sidebar>
      );
    },
  },
});
