import { Injectable } from '@nestjs/common';

/**
 * The one door to the current time. Tests replace it (see test/support) to walk through
 * idle timeouts and lock-outs without waiting.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Test hook: move this clock forward. Never called by production code. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
