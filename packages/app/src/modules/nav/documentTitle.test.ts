import { documentTitle, templateOfPath, TitlePage } from './documentTitle';

const pages: TitlePage[] = [
  { href: '/', title: 'Home' },
  { href: '/catalog', title: 'Catalog' },
  { href: '/create', title: 'Create' },
  { href: '/modelfleet', title: 'Fleet' },
  { href: '/search', title: 'Search' },
];
const title = (pathname: string, written?: string) =>
  documentTitle({ pathname, written, appTitle: 'ModelFleet', pages });

describe('documentTitle', () => {
  it("names an entity page by the entity's title and kind", () => {
    expect(
      title(
        '/catalog/default/model/search-reranker',
        'Search reranker | Overview | ModelFleet',
      ),
    ).toBe('Search reranker · Model');
    expect(
      title(
        '/catalog/default/gpupool/demo-aws-use1.g6-l4-spot',
        'g6-l4-spot (demo-aws-use1) | ModelFleet',
      ),
    ).toBe('g6-l4-spot (demo-aws-use1) · GPU pool');
  });

  it('names an entity page by its title where that is the app title', () => {
    expect(
      title(
        '/catalog/default/component/modelfleet',
        'ModelFleet | Overview | ModelFleet',
      ),
    ).toBe('ModelFleet · Component');
  });

  it('names the tab of an entity page other than its overview', () => {
    expect(
      title(
        '/catalog/default/model/search-reranker/kubernetes',
        'Search reranker | Kubernetes | ModelFleet',
      ),
    ).toBe('Search reranker · Model · Kubernetes');
  });

  it('names an entity page by its name until the page writes its title', () => {
    expect(title('/catalog/default/model/search-reranker')).toBe(
      'search-reranker · Model',
    );
    expect(title('/catalog/default/component/modelfleet')).toBe(
      'modelfleet · Component',
    );
  });

  it('keeps what a page wrote, without repeating the app title', () => {
    expect(title('/modelfleet', 'ModelFleet | Fleet | ModelFleet')).toBe(
      'Fleet · ModelFleet',
    );
    expect(title('/', 'Home | ModelFleet')).toBe('Home · ModelFleet');
  });

  it("names a page that wrote no title after the nav's page it is under", () => {
    expect(title('/catalog')).toBe('Catalog · ModelFleet');
    expect(title('/catalog', 'ModelFleet')).toBe('Catalog · ModelFleet');
    expect(title('/create/templates/default/deploy-model')).toBe(
      'Create · ModelFleet',
    );
    expect(title('/')).toBe('Home · ModelFleet');
    expect(title('/nowhere')).toBe('ModelFleet');
  });

  it("names a template's page by the template's title once it is known", () => {
    const deploy = '/create/templates/default/deploy-model';
    expect(
      documentTitle({
        pathname: deploy,
        appTitle: 'ModelFleet',
        pages,
        templateTitle: 'Deploy a model',
      }),
    ).toBe('Deploy a model · ModelFleet');
    // Until then, after the nav's page; and only on a template's page.
    expect(title(deploy)).toBe('Create · ModelFleet');
    expect(
      documentTitle({
        pathname: '/create/tasks/abc',
        appTitle: 'ModelFleet',
        pages,
        templateTitle: 'Deploy a model',
      }),
    ).toBe('Create · ModelFleet');
    expect(templateOfPath(deploy)).toBe('template:default/deploy-model');
    expect(templateOfPath('/create/templates/default')).toBeUndefined();
  });

  it("ignores the notifications' unread count in what a page wrote", () => {
    expect(
      title('/catalog/default/model/x', '(2) X model | Overview | ModelFleet'),
    ).toBe('X model · Model');
  });
});
