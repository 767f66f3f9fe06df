import { applyOutcome } from './applyMessage';

const words = {
  model: 'Search reranker',
  team: 'Search team',
  to: 'L4 on g2-l4 (demo-gcp-usc1)',
  replicas: 2,
};

describe('applyOutcome', () => {
  it("says an action waits for approval under the team's dry-run, or runs now", () => {
    expect(
      applyOutcome({ kind: 'migrate', state: 'planned', dryRun: true }, words),
    ).toEqual({
      awaitsApproval: true,
      message:
        "A move of Search reranker to L4 on g2-l4 (demo-gcp-usc1) waits for approval: Search team's policy is dry-run. Approve it on the ModelFleet page.",
    });
    expect(
      applyOutcome(
        { kind: 'scale', state: 'planned', dryRun: true },
        { model: 'sdxl', replicas: 1 },
      ).message,
    ).toBe(
      "Scaling sdxl to 1 replica waits for approval: its team's policy is dry-run. Approve it on the ModelFleet page.",
    );
    expect(
      applyOutcome({ kind: 'scale', state: 'applying', dryRun: false }, words),
    ).toEqual({
      awaitsApproval: false,
      message: 'Scaling Search reranker to 2 replicas now.',
    });
    expect(
      applyOutcome(
        { kind: 'keepAlive', state: 'planned', dryRun: false },
        words,
        true,
      ).message,
    ).toBe("Approved: shortening Search reranker's keep-alive now.");
  });

  it('says what became of the action asked for earlier the same day', () => {
    const said = (state: 'done' | 'cancelled' | 'failed' | 'rolledBack') =>
      applyOutcome({ kind: 'migrate', state, dryRun: false }, words).message;
    expect(said('done')).toBe(
      'A move of Search reranker to L4 on g2-l4 (demo-gcp-usc1) was asked for earlier today and is done.',
    );
    expect(said('cancelled')).toMatch(
      /was asked for earlier today and cancelled; it can be applied again tomorrow/,
    );
    expect(said('failed')).toMatch(
      /was tried earlier today and failed; the Model page's activity card says why\.$/,
    );
    expect(said('rolledBack')).toMatch(/tried earlier today and rolled back/);
  });
});
