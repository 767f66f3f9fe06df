import { renderInTestApp } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import type { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MaxReplicasField, maxReplicasValidation } from '.';
import { WakeOnField } from '../WakeOnField';
// Jest parses YAML imports (the Backstage CLI's transform). The test reads
// the template the portal ships, outside any package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import templateYaml from '../../../../../templates/deploy-model/template.yaml';

// The Deploy a model template's Serving step and its "Apply to the cluster
// now" field in the scaffolder's own form and Review step: a field shows
// only where it applies, and the Review step reads in words.

type TemplateSteps = Array<{
  title: string;
  properties: Record<string, any>;
}>;
const parameters = (templateYaml as unknown as { spec: { parameters: any } })
  .spec.parameters as TemplateSteps;
const serving = parameters.find(p => p.properties.traffic)!;
const applyNow = parameters.find(p => p.properties.applyNow)!.properties
  .applyNow;

const manifest: TemplateParameterSchema = {
  title: 'Deploy a model',
  steps: [
    { title: serving.title, schema: serving as any },
    {
      title: 'Publish',
      schema: { properties: { applyNow } },
    },
  ],
};

/** The form's values at the start, as the scaffolder takes them. */
type InitialState = NonNullable<Parameters<typeof Stepper>[0]['initialState']>;

async function review(initialState: InitialState) {
  const onCreate = jest.fn(async (_values: Record<string, unknown>) => {});
  await renderInTestApp(
    <Stepper
      manifest={manifest}
      extensions={[
        {
          name: 'MaxReplicas',
          component: MaxReplicasField,
          validation: maxReplicasValidation,
        },
        { name: 'WakeOn', component: WakeOnField },
      ]}
      initialState={initialState}
      onCreate={onCreate}
    />,
  );
  return { onCreate };
}

/** The Review step's row of a title: its text, or undefined without one. */
const row = (title: string) =>
  screen.queryByText(title, { exact: true })?.closest('tr')?.textContent ??
  undefined;

/** Picks `option` in the select of the form labelled `label`. */
async function pick(label: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

async function toReview() {
  await userEvent.click(await screen.findByRole('button', { name: 'Next' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Review' }));
  await screen.findByRole('button', { name: 'Create' });
}

describe('the Deploy a model template in the scaffolder form', () => {
  // The stepper scrolls to the top on each step; jsdom has no scrolling.
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());
  // The scaffolder form takes a while to load in a test run.
  jest.setTimeout(30_000);

  it('asks no wake method for an always-on model, shows no empty regions, and says in words whether it applies now', async () => {
    const { onCreate } = await review({});
    expect(
      await screen.findByRole('spinbutton', { name: 'Minimum replicas' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Wake from zero on')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    // A select of two answers in words, not a check box.
    expect(
      await screen.findByRole('button', { name: /Apply to the cluster now/ }),
    ).toHaveTextContent('No: check against the cluster (dry-run)');
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await screen.findByRole('button', { name: 'Create' });

    expect(row('Traffic pattern')).toContain('Always on');
    expect(row('Wake from zero on')).toBeUndefined();
    expect(row('Allowed regions')).toBeUndefined();
    expect(row('Apply to the cluster now')).toContain(
      'No: check against the cluster (dry-run), GitOps applies',
    );
    for (const raw of [/Wake On/, /Regions/, /Apply Now/, /false/]) {
      expect(screen.queryByText(raw)).not.toBeInTheDocument();
    }

    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    const values = onCreate.mock.calls[0][0];
    expect(values).toMatchObject({ traffic: 'always-on', applyNow: false });
    expect(values.wakeOn).toBeUndefined();
  });

  it('asks how a model that idles wakes, right after its traffic, and reviews the answer', async () => {
    const { onCreate } = await review({ traffic: 'sporadic' });
    const wake = await screen.findByRole('button', {
      name: /Wake from zero on/,
    });
    expect(wake).toHaveTextContent('A request (KEDA HTTP add-on)');
    // Right after the traffic pattern, before the spot capacity.
    const traffic = screen.getByRole('button', { name: /Traffic pattern/ });
    const spot = screen.getByRole('button', { name: /Spot capacity/ });
    expect(traffic.compareDocumentPosition(wake)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect(wake.compareDocumentPosition(spot)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );

    await toReview();
    expect(row('Wake from zero on')).toContain('A request (KEDA HTTP add-on)');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate.mock.calls[0][0]).toMatchObject({
      traffic: 'sporadic',
      wakeOn: 'http-addon',
    });
  });

  it('reviews the regions a model is held to, and the answer to apply now', async () => {
    await review({ regions: ['eastus', 'westeurope'], applyNow: true });
    await toReview();
    expect(row('Allowed regions')).toContain('eastus');
    expect(row('Allowed regions')).toContain('westeurope');
    expect(row('Apply to the cluster now')).toContain('Yes: apply now');
  });

  it('forgets the wake method when the traffic goes back to always on, and asks it again when it idles', async () => {
    const { onCreate } = await review({});
    await screen.findByRole('spinbutton', { name: 'Minimum replicas' });
    expect(
      screen.queryByRole('button', { name: /Wake from zero on/ }),
    ).not.toBeInTheDocument();

    await pick(/Traffic pattern/, 'Sporadic');
    expect(
      await screen.findByRole('button', { name: /Wake from zero on/ }),
    ).toHaveTextContent('A request (KEDA HTTP add-on)');

    await pick(/Traffic pattern/, 'Always on');
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: /Wake from zero on/ }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Wake from zero on')).not.toBeInTheDocument();
    await toReview();
    expect(row('Traffic pattern')).toContain('Always on');
    expect(row('Wake from zero on')).toBeUndefined();
    expect(screen.queryByText(/Wake On/)).not.toBeInTheDocument();
    expect(
      screen.queryByText(/KEDA|Knative|http-addon/),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(1));
    const alwaysOn = onCreate.mock.calls[0][0];
    expect(alwaysOn).toMatchObject({ traffic: 'always-on' });
    expect(alwaysOn.wakeOn).toBeUndefined();
    // What the task's parameters carry (the request body is JSON).
    expect(JSON.parse(JSON.stringify(alwaysOn))).not.toHaveProperty('wakeOn');

    // Back at the Serving step, traffic that idles asks it again.
    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Back' }));
    await screen.findByRole('spinbutton', { name: 'Minimum replicas' });
    await pick(/Traffic pattern/, 'Business hours');
    expect(
      await screen.findByRole('button', { name: /Wake from zero on/ }),
    ).toHaveTextContent('A request (KEDA HTTP add-on)');
    await pick(/Wake from zero on/, 'The next poll (KEDA)');
    await toReview();
    expect(row('Traffic pattern')).toContain('Business hours');
    expect(row('Wake from zero on')).toContain('The next poll (KEDA)');
    expect(screen.queryByText(/Wake On|keda-poll/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(2));
    expect(onCreate.mock.calls[1][0]).toMatchObject({
      traffic: 'business-hours',
      wakeOn: 'keda-poll',
    });
  });
});
