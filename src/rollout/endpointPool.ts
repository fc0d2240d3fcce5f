/**
 * EndpointPool: fan requests out over one or many endpoints, each with its own concurrency limit.
 *
 * `acquire()` resolves with a lease on an endpoint that has a free slot (waiting FIFO when none has);
 * `lease.release()` frees the slot. Strategies:
 * - `round-robin`: the next endpoint in cyclic order that has a free slot;
 * - `least-loaded`: the endpoint with the smallest inFlight / concurrency (ties: lowest index after
 *   the round-robin cursor, so equal endpoints still alternate).
 * Invariant (tested against the server's own in-flight counter): an endpoint never has more than
 * `concurrency` leases outstanding.
 */

export interface EndpointSpec {
  url: string;
  /** Most requests in flight at once on this endpoint (≥ 1). */
  concurrency: number;
}

export type Strategy = "round-robin" | "least-loaded";

export interface EndpointState extends EndpointSpec {
  inFlight: number;
  maxInFlight: number;
  requests: number;
}

export interface Lease {
  endpoint: EndpointState;
  index: number;
  release(): void;
}

export class EndpointPool {
  readonly endpoints: EndpointState[];
  private cursor = 0;
  private readonly waiters: ((lease: Lease) => void)[] = [];

  constructor(specs: EndpointSpec[], readonly strategy: Strategy = "least-loaded") {
    if (specs.length === 0) throw new Error("EndpointPool: give at least one endpoint");
    for (const s of specs) {
      if (!Number.isInteger(s.concurrency) || s.concurrency < 1) throw new Error(`endpoint ${s.url}: concurrency must be an integer ≥ 1, got ${s.concurrency}`);
    }
    this.endpoints = specs.map((s) => ({ ...s, inFlight: 0, maxInFlight: 0, requests: 0 }));
  }

  /** Total number of slots (sum of the concurrency limits). */
  get capacity(): number {
    return this.endpoints.reduce((s, e) => s + e.concurrency, 0);
  }

  private pick(): number {
    const m = this.endpoints.length;
    let best = -1;
    for (let j = 0; j < m; j++) {
      const i = (this.cursor + j) % m;
      const e = this.endpoints[i];
      if (e.inFlight >= e.concurrency) continue;
      if (this.strategy === "round-robin") return i;
      if (best < 0 || e.inFlight / e.concurrency < this.endpoints[best].inFlight / this.endpoints[best].concurrency) best = i;
    }
    return best;
  }

  private grant(i: number): Lease {
    const e = this.endpoints[i];
    e.inFlight++;
    e.requests++;
    e.maxInFlight = Math.max(e.maxInFlight, e.inFlight);
    this.cursor = (i + 1) % this.endpoints.length;
    let released = false;
    return {
      endpoint: e,
      index: i,
      release: () => {
        if (released) return;
        released = true;
        e.inFlight--;
        const next = this.waiters.length > 0 ? this.pick() : -1;
        if (next >= 0) this.waiters.shift()!(this.grant(next));
      },
    };
  }

  /** Wait for a free slot on some endpoint. */
  acquire(): Promise<Lease> {
    const i = this.waiters.length === 0 ? this.pick() : -1;
    if (i >= 0) return Promise.resolve(this.grant(i));
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
