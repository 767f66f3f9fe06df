import { renderInTestApp } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import type { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
// Jest parses YAML imports (the Backstage CLI's transform). The test reads
// the template the portal ships, outside any package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import templateYaml from '../../../../../templates/deploy-model/template.yaml';
import { MaxReplicasField } from './MaxReplicasField';
import { maxReplicasProblem, maxReplicasValidation } from './validation';

type Step = TemplateParameterSchema['steps'][number]['schema'] & {
  title: string;
};
/** The Deploy a model template, as the catalog reads it. */
const template = templateYaml as unknown as {
  spec: { parameters: Step[] };
};
const step = (title: string): Step => {
  const found = template.spec.parameters.find(p => p.title === title);
  if (!found) throw new Error(`the template has no step ${title}`);
  return found;
};

/** The template's own steps in the scaffolder's own form. */
async function renderSteps(steps: Step[], initialState = {}) {
  const onCreate = jest.fn(async () => {});
  await renderInTestApp(
    <Stepper
      manifest={{
        title: 'Deploy a model',
        steps: steps.map(({ title, ...schema }) => ({ title, schema })),
      }}
      extensions={[
        {
          name: 'MaxReplicas',
          component: MaxReplicasField,
          validation: maxReplicasValidation,
        },
      ]}
      initialState={initialState}
      onCreate={onCreate}
    />,
  );
  return { onCreate };
}

describe('the maximum replicas', () => {
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());
  jest.setTimeout(30_000);

  it('is refused below the minimum, in words, on the Serving step', async () => {
    await renderSteps([step('Serving')]);
    const min = await screen.findByRole('spinbutton', {
      name: /Minimum replicas/,
    });
    const max = screen.getByRole('spinbutton', { name: /Maximum replicas/ });
    await userEvent.clear(min);
    await userEvent.type(min, '3');
    await userEvent.clear(max);
    await userEvent.type(max, '2');
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));

    const said = await screen.findAllByText(
      /must be at least the minimum replicas \(3\)/,
    );
    expect(said.length).toBeGreaterThan(0);
    expect(max).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();

    // Corrected at the same step, the form goes on.
    await userEvent.clear(max);
    await userEvent.type(max, '3');
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(
      await screen.findByRole('button', { name: 'Create' }),
    ).toBeInTheDocument();
  });

  it('says what is wrong with a name or a source without a regular expression', async () => {
    const model = step('Model');
    // The owner's catalog picker needs the catalog; a text box stands in.
    const { owner, ...properties } = model.properties as Record<string, any>;
    await renderSteps([
      {
        ...model,
        properties: {
          ...properties,
          owner: { ...owner, 'ui:field': undefined, 'ui:options': undefined },
        },
      },
    ]);
    await userEvent.type(
      await screen.findByRole('textbox', { name: /^Name/ }),
      'Llama_Chat',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Model source/ }),
      'https://user:token@models.example.com/m',
    );
    await userEvent.type(
      screen.getByRole('spinbutton', { name: /Parameters/ }),
      '8',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Owner team/ }),
      'group:default/search-team',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));

    await waitFor(() =>
      expect(
        screen.getAllByText(/must start with a lower-case letter/).length,
      ).toBeGreaterThan(0),
    );
    expect(
      screen.getAllByText(/without a user, password or query string/).length,
    ).toBeGreaterThan(0);
    expect(document.body.textContent).not.toMatch(/pattern|\^\[/);
  });
});

describe('maxReplicasProblem', () => {
  it('is silent until both are numbers, and when the maximum is at least the minimum', () => {
    expect(maxReplicasProblem(undefined, 3)).toBeUndefined();
    expect(maxReplicasProblem(2, undefined)).toBeUndefined();
    expect(maxReplicasProblem(3, 3)).toBeUndefined();
    expect(maxReplicasProblem(4, '3')).toBeUndefined();
    expect(maxReplicasProblem(2, 3)).toBe(
      'must be at least the minimum replicas (3): lower the minimum or raise the maximum',
    );
    expect(maxReplicasProblem('1', 0)).toBeUndefined();
  });
});
