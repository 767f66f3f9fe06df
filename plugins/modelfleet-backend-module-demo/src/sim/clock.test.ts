import { SimClock } from './clock';

describe('SimClock', () => {
  it('manual: stands still, and advance() runs timers in order at their due time', () => {
    const clock = new SimClock({ mode: 'manual', start: 1_000 });
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => {
      seen.push(`a@${clock.now()}`);
      clock.setTimeout(() => seen.push(`c@${clock.now()}`), 50);
    }, 100);
    const cancelled = clock.setTimeout(() => seen.push('never'), 120);
    clock.clearTimeout(cancelled);
    expect(clock.now()).toBe(1_000);
    clock.advance(150);
    expect(seen).toEqual(['a@1100', 'c@1150']);
    expect(clock.now()).toBe(1_150);
    clock.advanceTo(2_000);
    expect(seen).toEqual(['a@1100', 'c@1150', 'b@1200']);
    expect(clock.now()).toBe(2_000);
    expect(() => clock.advance(-1)).toThrow();
  });

  it('manual: timers that are due run by themselves on the next turn', async () => {
    const clock = new SimClock({ mode: 'manual', start: 0 });
    const fired = new Promise<number>(resolve =>
      clock.setTimeout(() => resolve(clock.now()), 0),
    );
    await expect(fired).resolves.toBe(0);
  });

  it('realtime: runs faster than the wall clock by its speed', async () => {
    const clock = new SimClock({ start: 0, speed: 1_000 });
    const wall = Date.now();
    await clock.sleep(20_000); // 20 simulated seconds
    expect(clock.now()).toBeGreaterThanOrEqual(20_000);
    expect(Date.now() - wall).toBeLessThan(2_000);
    clock.setSpeed(2_000);
    expect(clock.speed).toBe(2_000);
    expect(() => clock.advance(1)).toThrow(/manual/);
    clock.dispose();
  });
});
