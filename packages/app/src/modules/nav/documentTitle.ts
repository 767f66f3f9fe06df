/** A page of the app's nav: where it is and what it is called. */
export interface TitlePage {
  href: string;
  title: string;
}

/** How the document title names an entity's kind. */
const KIND_LABELS: Record<string, string> = {
  api: 'API',
  component: 'Component',
  domain: 'Domain',
  gpupool: 'GPU pool',
  group: 'Group',
  location: 'Location',
  model: 'Model',
  resource: 'Resource',
  system: 'System',
  template: 'Template',
  user: 'User',
};

/** An entity page, `/catalog/:namespace/:kind/:name[/tab]`. */
const ENTITY_PATH = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)(?:\/|$)/;

/** A scaffolder template's page, `/create/templates/:namespace/:name`. */
const TEMPLATE_PATH = /^\/create\/templates\/([^/]+)\/([^/]+)\/?$/;

/**
 * The template a path is the page of, as an entity reference
 * (`template:default/deploy-model`), or undefined.
 */
export function templateOfPath(pathname: string): string | undefined {
  const match = TEMPLATE_PATH.exec(pathname);
  if (!match) return undefined;
  return `template:${safeDecode(match[1])}/${safeDecode(match[2])}`;
}

/** The unread count the notifications plugin puts in front of the title. */
export const COUNTER_PREFIX = /^\(\d+\)\s/;

function kindLabel(kind: string): string {
  const lower = kind.toLocaleLowerCase('en-US');
  return (
    KIND_LABELS[lower] ??
    lower.charAt(0).toLocaleUpperCase('en-US') + lower.slice(1)
  );
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The parts of a title a page wrote in Backstage's format
 * (`Entity | Tab | App title`, through react-helmet), without the app's
 * title at its end.
 */
function partsOf(written: string | undefined, appTitle: string): string[] {
  const parts = (written ?? '')
    .split(' | ')
    .map(s => s.trim())
    .filter(Boolean);
  if (
    parts.length > 0 &&
    [appTitle, 'Backstage'].includes(parts[parts.length - 1])
  ) {
    parts.pop();
  }
  return parts;
}

/** The parts of a title that name the page: not the app, no repeats. */
function pageParts(parts: string[], appTitle: string): string[] {
  const seen = new Set<string>();
  return parts.filter(s => {
    const key = s.toLocaleLowerCase('en-US');
    if (s === appTitle || s === 'Backstage' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The nav page a path is under: the longest href it starts with. */
function pageOf(pathname: string, pages: TitlePage[]): TitlePage | undefined {
  let best: TitlePage | undefined;
  for (const page of pages) {
    const href = page.href.replace(/\/+$/, '') || '/';
    const under =
      href === '/'
        ? pathname === '/'
        : pathname === href || pathname.startsWith(`${href}/`);
    if (under && (!best || href.length > best.href.length)) {
      best = { ...page, href };
    }
  }
  return best;
}

/**
 * The document title of a page, naming the page first:
 *
 * - an entity page: its title and kind, and the tab unless it is the
 *   overview, e.g. `Search reranker · Model` or
 *   `Search reranker · Model · Kubernetes`;
 * - a page that wrote a title of its own: that title and the app's, e.g.
 *   `Fleet · ModelFleet` for `ModelFleet | Fleet | ModelFleet`;
 * - a scaffolder template's page, which writes none: the template's title
 *   once known (`templateTitle`) and the app's, e.g.
 *   `Deploy a model · ModelFleet`;
 * - any other page: the title of the nav page it is under and the app's,
 *   e.g. `Catalog · ModelFleet`; the app's title alone elsewhere.
 *
 * `written` is the title the page wrote since the route changed, if any.
 */
export function documentTitle(options: {
  written?: string;
  pathname: string;
  appTitle: string;
  pages: TitlePage[];
  /** The title of the template whose page `pathname` is, once known. */
  templateTitle?: string;
}): string {
  const { pathname, appTitle, pages } = options;
  const written = options.written?.replace(COUNTER_PREFIX, '');
  const parts = partsOf(written, appTitle);
  const entity = ENTITY_PATH.exec(pathname);
  if (entity) {
    // The entity's own title first, even where it is the app's name.
    const [name, tab] = parts;
    return [
      name ?? safeDecode(entity[3]),
      kindLabel(safeDecode(entity[2])),
      ...(tab && tab.toLocaleLowerCase('en-US') !== 'overview' ? [tab] : []),
    ].join(' · ');
  }
  const segments = pageParts(parts, appTitle);
  if (segments.length > 0) return [...segments, appTitle].join(' · ');
  if (options.templateTitle && templateOfPath(pathname)) {
    return `${options.templateTitle} · ${appTitle}`;
  }
  const page = pageOf(pathname, pages);
  return page ? `${page.title} · ${appTitle}` : appTitle;
}
