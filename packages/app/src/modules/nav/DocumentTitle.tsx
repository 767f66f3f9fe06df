import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';
import { COUNTER_PREFIX, documentTitle, TitlePage } from './documentTitle';
import { useTemplateTitle } from './templateTitle';

/**
 * Keeps the document title naming the page ({@link documentTitle}).
 *
 * The new frontend system does not set a document title for a page, and
 * the pages that do (through react-helmet in core-components' `Header`,
 * the catalog's entity layout) write Backstage's `Entity | Tab | App`
 * format. This watches the title element, as the notifications plugin's
 * unread counter does, and rewrites what a page wrote; on a route change
 * it names the page from the nav until the page writes its own title. A
 * scaffolder template's page, which writes none, is named by the
 * template's title from the catalog.
 */
export const DocumentTitle = (props: { pages: TitlePage[] }) => {
  const { pathname } = useLocation();
  const appTitle =
    useApi(configApiRef).getOptionalString('app.title') ?? 'ModelFleet';
  const templateTitle = useTemplateTitle(pathname);
  const inputs = useRef({
    pathname,
    appTitle,
    pages: props.pages,
    templateTitle,
  });
  inputs.current = { pathname, appTitle, pages: props.pages, templateTitle };
  /** What the page wrote since the route changed, and what we last set. */
  const state = useRef<{ written?: string; ours?: string }>({});
  /**
   * Titles set here before: written again by someone else (the unread
   * counter puts back the title it last saw), they are not a page's.
   */
  const history = useRef<string[]>([]);

  const apply = useCallback(() => {
    const counter = COUNTER_PREFIX.exec(document.title)?.[0] ?? '';
    const title = documentTitle({
      written: state.current.written,
      ...inputs.current,
    });
    state.current.ours = title;
    history.current = [
      title,
      ...history.current.filter(t => t !== title).slice(0, 19),
    ];
    if (document.title !== counter + title) {
      document.title = counter + title;
    }
  }, []);

  // Before the new page's title is written (react-helmet writes on the
  // next animation frame), forget the previous page's.
  useLayoutEffect(() => {
    state.current.written = undefined;
    apply();
  }, [pathname, apply]);

  const pagesKey = JSON.stringify(props.pages);
  useEffect(() => apply(), [pagesKey, appTitle, templateTitle, apply]);

  useEffect(() => {
    const observer = new MutationObserver(() => {
      const title = document.title.replace(COUNTER_PREFIX, '');
      if (title === state.current.ours) return;
      if (!history.current.includes(title)) state.current.written = title;
      apply();
    });
    observer.observe(document.head, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    return () => observer.disconnect();
  }, [apply]);

  return null;
};
