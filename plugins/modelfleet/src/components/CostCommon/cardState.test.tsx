import { renderInTestApp } from '@backstage/test-utils';
import { render, screen } from '@testing-library/react';
import { costReport } from '../../__testUtils__/fixtures';
import { CARD_STATE_ATTRIBUTE, CardBody, cardStateOf } from './cardState';
import { AsyncBody } from './CostStates';
import { CostOverTimeChart } from './LazyCharts';

const stateOf = (container: HTMLElement) =>
  container
    .querySelector(`[${CARD_STATE_ATTRIBUTE}]`)
    ?.getAttribute(CARD_STATE_ATTRIBUTE);

describe('cardStateOf', () => {
  it('is loading, ready or error', () => {
    expect(cardStateOf({ loading: true })).toBe('loading');
    expect(cardStateOf({ loading: false })).toBe('loading');
    expect(cardStateOf({ loading: false, value: 0 })).toBe('ready');
    expect(cardStateOf({ loading: true, value: {} })).toBe('loading');
    expect(cardStateOf({ error: new Error('x'), value: {} })).toBe('error');
  });
});

describe('CardBody', () => {
  it('marks its children with the state', () => {
    const { container } = render(<CardBody state="ready">figures</CardBody>);
    expect(stateOf(container)).toBe('ready');
    expect(screen.getByText('figures')).toBeInTheDocument();
  });
});

describe('AsyncBody', () => {
  const body = (props: { loading: boolean; error?: Error; value?: string }) =>
    renderInTestApp(
      <AsyncBody subject="the model" {...props}>
        {v => <p>{v}</p>}
      </AsyncBody>,
    );

  it('marks progress as loading', async () => {
    const { container } = await body({ loading: true });
    expect(stateOf(container)).toBe('loading');
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('marks the content as ready', async () => {
    const { container } = await body({ loading: false, value: '$12.00' });
    expect(stateOf(container)).toBe('ready');
    expect(screen.getByText('$12.00')).toBeInTheDocument();
  });

  it('marks a failed read as an error', async () => {
    const { container } = await body({
      loading: false,
      error: new Error('boom'),
    });
    expect(stateOf(container)).toBe('error');
    expect(screen.getAllByText(/boom/).length).toBeGreaterThan(0);
  });
});

describe('the lazy charts', () => {
  it('hold the chart’s place until its code is loaded, then draw it', async () => {
    (globalThis as any).ResizeObserver = class {
      observe() {}
      disconnect() {}
    };
    render(<CostOverTimeChart report={costReport()} height={180} />);
    const placeholder = screen.getByTestId('modelfleet-chart-loading');
    expect(placeholder).toHaveStyle({ height: '180px' });
    expect(
      await screen.findByRole('figure', { name: /cost/i }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('modelfleet-chart-loading'),
    ).not.toBeInTheDocument();
  });
});
