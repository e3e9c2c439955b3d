import { performance } from 'node:perf_hooks';

/** How background work yields to requests; see GiveWay. */
export interface GiveWayOptions {
  /** Event-loop utilisation (0–1) at or above which the loop counts as busy with requests. */
  busy: number;
  /** Each wait, and the stretch each look at the loop covers. */
  stepMs: number;
  /** The longest wait at one turn: background work still moves under a load that never lets up. */
  maxWaitMs: number;
}

/** The event loop's utilisation since the previous call (the first: since the probe was made). */
export type LoopProbe = () => number;

/**
 * Background work (a document batch) gives way to requests. Between two pieces of that work,
 * turn() looks at how busy the event loop has been since the previous turn; when it was busy,
 * it waits in short steps until a step finds the loop calm, or maxWaitMs at most. The work's
 * own share of the loop is counted too, so a batch alone on a quiet service never waits, while
 * under a stream of requests it moves at a piece per maxWaitMs and leaves the loop to them.
 */
export class GiveWay {
  /** Turns that waited, and the steps they waited in all (for logs and specs). */
  readonly waited = { turns: 0, steps: 0 };

  constructor(
    private readonly options: GiveWayOptions,
    private readonly probe: LoopProbe = eventLoopProbe(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async turn(): Promise<void> {
    if (this.probe() < this.options.busy) return;
    this.waited.turns++;
    for (let slept = 0; slept < this.options.maxWaitMs; slept += this.options.stepMs) {
      await this.sleep(this.options.stepMs);
      this.waited.steps++;
      if (this.probe() < this.options.busy) return;
    }
  }
}

/** A probe over Node's own measure: the share of time the loop spent outside waiting for events. */
export function eventLoopProbe(): LoopProbe {
  let mark = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, mark);
    mark = now;
    return utilization;
  };
}
