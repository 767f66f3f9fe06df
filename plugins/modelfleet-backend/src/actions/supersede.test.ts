import { supersededByPerson } from './supersede';

describe('supersededByPerson', () => {
  it("gives way to a person only for a policy's proposal still planned", () => {
    const policy = 'policy:hibernation';
    expect(supersededByPerson({ state: 'planned', requestedBy: policy })).toBe(
      true,
    );
    // Once it runs, or when a person asked for it, it is not taken over.
    for (const state of ['applying', 'verifying', 'rollingBack'] as const) {
      expect(supersededByPerson({ state, requestedBy: policy })).toBe(false);
    }
    expect(
      supersededByPerson({
        state: 'planned',
        requestedBy: 'user:default/jane',
      }),
    ).toBe(false);
  });
});
