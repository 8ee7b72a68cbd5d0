import type { AppendUnit, Ledger, UnitResult } from './store.js';

/**
 * Group commit for a long-running writer (`rollwright serve`): units submitted in the same turn of
 * the event loop, or while the previous group is being written, go into the ledger together
 * (`Ledger.appendUnits`: one transaction, one lock, one check of the chain's end, one disk flush),
 * each still recorded whole or not at all. One caller alone waits for nothing: its unit is written
 * at the end of the current turn. Several callers in flight share the cost of the flush, so the
 * append rate grows with them instead of queueing behind one flush each.
 *
 * Nothing here serialises across processes: the group's transaction takes the store's own lock, as
 * every append does, so replicas and CLI writers still form one chain.
 */
export class GroupAppender {
  private queue: Array<{ unit: AppendUnit; resolve: (r: UnitResult) => void; reject: (e: unknown) => void }> = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly ledger: Ledger,
    /** The most events one transaction takes (a group is cut between units). */
    private readonly maxEvents = 1000,
  ) {}

  append(unit: AppendUnit): Promise<UnitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.writing ??= new Promise<void>((done) => setImmediate(() => void this.drain().finally(done)));
    });
  }

  /** Resolves once everything submitted so far is written. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        let events = 0;
        let n = 0;
        while (n < this.queue.length && (n === 0 || events + this.queue[n]!.unit.events.length <= this.maxEvents))
          events += this.queue[n++]!.unit.events.length;
        const group = this.queue.splice(0, n);
        try {
          const results = await this.ledger.appendUnits(group.map((g) => g.unit));
          group.forEach((g, i) => g.resolve(results[i]!));
        } catch (e) {
          for (const g of group) g.reject(e);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
