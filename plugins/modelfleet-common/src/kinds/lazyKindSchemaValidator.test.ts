jest.mock('@backstage/catalog-model', () => {
  const actual = jest.requireActual('@backstage/catalog-model');
  return {
    ...actual,
    entityKindSchemaValidator: jest.fn(actual.entityKindSchemaValidator),
  };
});

/** The kinds' module, loaded afresh, and the schema compiler it calls. */
function loadKinds() {
  jest.resetModules();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const compile: jest.Mock =
    require('@backstage/catalog-model').entityKindSchemaValidator;
  const kinds = require('.');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { compile, kinds };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('the kinds’ validators', () => {
  it('compile no schema when their module loads (the frontend only asks isModelEntity)', () => {
    const { compile, kinds } = loadKinds();
    expect(
      kinds.isModelEntity(kinds.modelEntityV1alpha1Schema.examples[0]),
    ).toBe(true);
    expect(compile).not.toHaveBeenCalled();
  });

  it('compile a kind’s schema on its first check, once', async () => {
    const { compile, kinds } = loadKinds();
    const model = clone(kinds.modelEntityV1alpha1Schema.examples[0]);
    await expect(kinds.modelEntityV1alpha1Validator.check(model)).resolves.toBe(
      true,
    );
    expect(compile).toHaveBeenCalledTimes(1);
    expect(compile).toHaveBeenLastCalledWith(kinds.modelEntityV1alpha1Schema);
    delete model.spec.owner;
    await expect(
      kinds.modelEntityV1alpha1Validator.check(model),
    ).rejects.toThrow(/owner/);
    const pool = clone(kinds.gpuPoolEntityV1alpha1Schema.examples[0]);
    await expect(
      kinds.gpuPoolEntityV1alpha1Validator.check(pool),
    ).resolves.toBe(true);
    await expect(
      kinds.gpuPoolEntityV1alpha1Validator.check(pool),
    ).resolves.toBe(true);
    expect(compile).toHaveBeenCalledTimes(2);
    expect(compile).toHaveBeenLastCalledWith(kinds.gpuPoolEntityV1alpha1Schema);
  });
});
