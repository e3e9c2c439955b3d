import { eventLoopProbe, GiveWay } from './give-way';

const OPTIONS = { busy: 0.5, stepMs: 100, maxWaitMs: 2000 };

/** A GiveWay whose loop readings come from a list and whose sleeps are recorded, not slept. */
function gate(readings: number[]) {
  const slept: number[] = [];
  const way = new GiveWay(OPTIONS, () => readings.shift() ?? 0, async (ms) => void slept.push(ms));
  return { way, slept };
}

describe('GiveWay: background work yields to a busy event loop', () => {
  it('goes on at once when the loop was calm since the last turn', async () => {
    const { way, slept } = gate([0.2]);
    await way.turn();
    expect(slept).toEqual([]);
    expect(way.waited).toEqual({ turns: 0, steps: 0 });
  });

  it('waits in steps while the loop stays busy, and goes on at the first calm step', async () => {
    const { way, slept } = gate([0.9, 0.8, 0.6, 0.3]);
    await way.turn();
    expect(slept).toEqual([100, 100, 100]);
    expect(way.waited).toEqual({ turns: 1, steps: 3 });
  });

  it('never waits longer than the limit, so the work still moves under endless load', async () => {
    const { way, slept } = gate(Array(100).fill(1));
    await way.turn();
    expect(slept).toHaveLength(20);
    await way.turn();
    expect(slept).toHaveLength(40);
  });

  it("reads Node's event-loop utilisation: near 1 after a busy stretch, near 0 after an idle one", async () => {
    const probe = eventLoopProbe();
    const until = Date.now() + 60;
    while (Date.now() < until) {
      /* busy */
    }
    expect(probe()).toBeGreaterThan(0.8);
    // Long enough that the test runner's own work on this loop (seen: 46 ms in a busy CI run)
    // cannot make an idle stretch look busy.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(probe()).toBeLessThan(0.5);
  });
});
