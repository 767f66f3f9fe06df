import { modelfleetPlugin } from './plugin';

describe('modelfleet', () => {
  it('should export plugin', () => {
    expect(modelfleetPlugin).toBeDefined();
  });
});
