import { isTeamOrOwnedByTeam } from './teamRule';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'sdxl', namespace: 'default' },
  spec: { owner: 'group:default/vision-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/vision-team' }],
};
const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'vision-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

describe('MODELFLEET_IS_TEAM_OR_OWNED_BY_TEAM', () => {
  it('matches a team’s own Group and what it owns, and nothing else', () => {
    const member = {
      claims: ['user:default/eli', 'group:default/Vision-Team'],
    };
    const other = { claims: ['user:default/ana', 'group:default/search-team'] };
    expect(isTeamOrOwnedByTeam.apply(model, member)).toBe(true);
    expect(isTeamOrOwnedByTeam.apply(group, member)).toBe(true);
    expect(isTeamOrOwnedByTeam.apply(model, other)).toBe(false);
    expect(isTeamOrOwnedByTeam.apply(group, other)).toBe(false);
    expect(isTeamOrOwnedByTeam.apply(model, { claims: ['not a ref:'] })).toBe(
      false,
    );
  });

  it('gives the catalog a query for the same entities', () => {
    expect(
      isTeamOrOwnedByTeam.toQuery({ claims: ['group:default/vision-team'] }),
    ).toEqual({
      anyOf: [
        { key: 'relations.ownedBy', values: ['group:default/vision-team'] },
        {
          allOf: [
            { key: 'kind', values: ['group'] },
            { key: 'metadata.namespace', values: ['default'] },
            { key: 'metadata.name', values: ['vision-team'] },
          ],
        },
      ],
    });
  });
});
