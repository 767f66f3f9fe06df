import {
  discoveryApiRef,
  fetchApiRef,
  useApiHolder,
} from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';
import { templateOfPath } from './documentTitle';

/** Template titles read so far, by entity reference. */
const titles = new Map<string, string>();

/**
 * The title of the scaffolder template whose page `pathname` is (e.g.
 * `Deploy a model` on `/create/templates/default/deploy-model`), read from
 * the catalog once per template; undefined elsewhere and until it is read.
 * The scaffolder's template page writes no document title of its own.
 */
export function useTemplateTitle(pathname: string): string | undefined {
  // Read on a template's page only: the title is named without them
  // everywhere else.
  const apis = useApiHolder();
  const ref = templateOfPath(pathname);
  const [read, setRead] = useState<{ ref: string; title: string }>();

  useEffect(() => {
    if (!ref || titles.has(ref)) return undefined;
    let live = true;
    const [, namespace, name] = /^template:([^/]+)\/(.+)$/.exec(ref)!;
    const discovery = apis.get(discoveryApiRef);
    const fetchApi = apis.get(fetchApiRef);
    if (!discovery || !fetchApi) return undefined;
    (async () => {
      const base = await discovery.getBaseUrl('catalog');
      const res = await fetchApi.fetch(
        `${base}/entities/by-name/template/${encodeURIComponent(
          namespace,
        )}/${encodeURIComponent(name)}`,
      );
      if (!res.ok) return;
      const entity = await res.json();
      const title = entity?.metadata?.title;
      if (typeof title !== 'string' || !title.trim()) return;
      titles.set(ref, title.trim());
      if (live) setRead({ ref, title: title.trim() });
    })().catch(() => {
      // The nav page's title stays: the template page works without it.
    });
    return () => {
      live = false;
    };
  }, [ref, apis]);

  if (!ref) return undefined;
  return titles.get(ref) ?? (read?.ref === ref ? read.title : undefined);
}
