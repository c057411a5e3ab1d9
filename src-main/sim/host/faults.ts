// Fault knobs of the host simulator, for tests and for training the "what if" screens.
export interface HostSimFaults {
  /** Wait this long before answering. */
  delayMs?: number;
  /** Read the request and never answer. */
  drop?: boolean;
  /** Send the first half of the answer frame, then close the connection. */
  closeMidFrame?: boolean;
  /** Answer with a different trace number (F11) than the request had. */
  wrongStan?: boolean;
  /** Answer with a corrupted MAC (F64). */
  badMac?: boolean;
  /** Set the answer header's processing requirement to 3 (sign on again). */
  requireSignOn?: boolean;
  /** Answer every request with this response code (F39). */
  forceResponseCode?: string;
  /** Apply only to requests with these MTIs (e.g. ['0200']); all when absent. */
  mti?: string[];
  /** Apply to the next N matching requests only, then clear; forever when absent. */
  times?: number;
}

/** Holds the active faults and decides, request by request, whether they apply. */
export class FaultPlan {
  private current: HostSimFaults | undefined;
  private remaining = Infinity;

  set(faults: HostSimFaults | undefined): void {
    this.current = faults && Object.keys(faults).length ? { ...faults } : undefined;
    this.remaining = faults?.times ?? Infinity;
  }

  /** The faults for a request of this MTI (consuming one use), or none. */
  take(mti: string): HostSimFaults | undefined {
    const f = this.current;
    if (!f || this.remaining <= 0) return undefined;
    if (f.mti && !f.mti.includes(mti)) return undefined;
    this.remaining--;
    if (this.remaining <= 0) this.current = undefined;
    return f;
  }
}
