import { useState } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WakeOnField } from './WakeOnField';
import {
  WakeOnFieldProps,
  WakeOnUiOptions,
  wakeOnApplies,
  wakeOnChoices,
  wakeOnCorrection,
} from './wakeOn';

/** The wake method's schema as the form hands it to the field. */
const schema = {
  title: 'Wake from zero on',
  type: 'string' as const,
  description: 'How a model at zero replicas wakes.',
  enum: ['http-addon', 'knative', 'keda-poll'],
  enumNames: [
    'A request (KEDA HTTP add-on)',
    'A request (Knative)',
    'The next poll (KEDA)',
  ],
};

/**
 * The field as the form runs it: it keeps the value the field hands back
 * and records each change.
 */
function Form(props: {
  traffic: string;
  value?: string;
  fieldSchema?: Record<string, unknown>;
  options?: WakeOnUiOptions;
  changes: Array<string | undefined>;
  trafficField?: string;
}) {
  const [value, setValue] = useState(props.value);
  const fieldProps = {
    formData: value,
    onChange: (next: string | undefined) => {
      props.changes.push(next);
      setValue(next);
    },
    schema: props.fieldSchema ?? schema,
    uiSchema: props.options ? { 'ui:options': props.options } : {},
    formContext: {
      formData: {
        [props.trafficField ?? 'traffic']: props.traffic,
        wakeOn: value,
      },
    },
    idSchema: { $id: 'root_wakeOn' },
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
  } as unknown as WakeOnFieldProps;
  return (
    <div data-testid="form">
      <WakeOnField {...fieldProps} />
      <output data-testid="value">{value ?? '(none)'}</output>
    </div>
  );
}

const select = () =>
  screen.queryByRole('button', { name: /Wake from zero on/ });

describe('WakeOnField', () => {
  it('asks how a model that idles wakes, in words, with the default when empty', async () => {
    const changes: Array<string | undefined> = [];
    render(
      <Form
        traffic="sporadic"
        fieldSchema={{ ...schema, default: 'http-addon' }}
        changes={changes}
      />,
    );
    expect(select()).toHaveTextContent('A request (KEDA HTTP add-on)');
    expect(
      screen.getByText('How a model at zero replicas wakes.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(changes).toEqual(['http-addon']));

    await userEvent.click(select()!);
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(schema.enumNames);
    await userEvent.click(
      within(listbox).getByRole('option', { name: 'The next poll (KEDA)' }),
    );
    expect(changes).toEqual(['http-addon', 'keda-poll']);
    expect(screen.getByTestId('value')).toHaveTextContent('keda-poll');
    expect(select()).toHaveTextContent('The next poll (KEDA)');
  });

  it('keeps an answer given while the traffic idles', async () => {
    const changes: Array<string | undefined> = [];
    render(
      <Form
        traffic="business-hours"
        value="knative"
        fieldSchema={{ ...schema, default: 'http-addon' }}
        changes={changes}
      />,
    );
    expect(select()).toHaveTextContent('A request (Knative)');
    // Nothing to correct: the answer stays.
    await new Promise(r => setTimeout(r, 50));
    expect(changes).toEqual([]);
  });

  it('shows nothing for always-on traffic and clears an answer given before, once', async () => {
    const changes: Array<string | undefined> = [];
    render(<Form traffic="always-on" value="http-addon" changes={changes} />);
    expect(select()).not.toBeInTheDocument();
    expect(screen.queryByText('Wake from zero on')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('value')).toHaveTextContent('(none)'),
    );
    await new Promise(r => setTimeout(r, 50));
    expect(changes).toEqual([undefined]);
  });

  it('leaves an empty value alone for always-on traffic', async () => {
    const changes: Array<string | undefined> = [];
    render(<Form traffic="always-on" changes={changes} />);
    await new Promise(r => setTimeout(r, 50));
    expect(changes).toEqual([]);
    expect(screen.getByTestId('form')).toHaveTextContent('(none)');
    expect(select()).not.toBeInTheDocument();
  });

  it('reads the traffic field and the patterns that idle its options name', async () => {
    const changes: Array<string | undefined> = [];
    const options = { trafficField: 'load', idleTraffic: ['bursty'] };
    const { unmount } = render(
      <Form
        traffic="bursty"
        trafficField="load"
        options={options}
        changes={changes}
      />,
    );
    expect(select()).toBeInTheDocument();
    unmount();
    render(
      <Form
        traffic="sporadic"
        trafficField="load"
        options={options}
        value="knative"
        changes={changes}
      />,
    );
    expect(select()).not.toBeInTheDocument();
    await waitFor(() => expect(changes).toEqual([undefined]));
  });
});

describe('the wake method rules', () => {
  it('applies only to traffic that idles', () => {
    expect(wakeOnApplies({ traffic: 'sporadic' }, undefined)).toBe(true);
    expect(wakeOnApplies({ traffic: 'business-hours' }, {})).toBe(true);
    expect(wakeOnApplies({ traffic: 'always-on' }, undefined)).toBe(false);
    expect(wakeOnApplies({}, undefined)).toBe(false);
    expect(wakeOnApplies(undefined, undefined)).toBe(false);
    expect(
      wakeOnApplies(
        { traffic: 'sporadic', load: 'x' },
        { trafficField: 'load' },
      ),
    ).toBe(false);
    expect(
      wakeOnApplies(
        { traffic: 'sporadic' },
        { idleTraffic: ['business-hours'] },
      ),
    ).toBe(false);
  });

  it('names each answer by its enumNames entry, or by itself without one', () => {
    expect(wakeOnChoices({ enum: ['a', 'b'], enumNames: ['Alpha'] })).toEqual([
      { value: 'a', label: 'Alpha' },
      { value: 'b', label: 'b' },
    ]);
    expect(wakeOnChoices(undefined)).toEqual([]);
  });

  it('clears a kept answer that does not apply and fills the default of an empty one that does', () => {
    expect(wakeOnCorrection('knative', false, 'http-addon')).toEqual({
      to: undefined,
    });
    expect(wakeOnCorrection(undefined, false, 'http-addon')).toBeUndefined();
    expect(wakeOnCorrection(undefined, true, 'http-addon')).toEqual({
      to: 'http-addon',
    });
    expect(wakeOnCorrection('', true, 'http-addon')).toEqual({
      to: 'http-addon',
    });
    expect(wakeOnCorrection('knative', true, 'http-addon')).toBeUndefined();
    expect(wakeOnCorrection(undefined, true, undefined)).toBeUndefined();
  });
});
