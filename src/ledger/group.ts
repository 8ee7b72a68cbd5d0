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
  /** Groups being written, and whether a cut of the queue is due at the end of this turn. */
  private readonly writing = new Set<Promise<void>>();
  private cutDue = false;

  constructor(
    private readonly ledger: Ledger,
    /** The most events one transaction takes (a group is cut between units). */
    private readonly maxEvents = 1000,
    /**
     * Groups written at once. One where a group's commit waits for the disk under the store's lock
     * (the next group forms meanwhile); more where the lock is released before the flush
     * (PostgreSQL's group procedure), so that one group's flush overlaps the next one's commit and
     * the store merges the flushes.
     */
    private readonly parallel = 1,
  ) {}

  append(unit: AppendUnit): Promise<UnitResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is written. */
  async idle(): Promise<void> {
    while (this.writing.size || this.cutDue) await Promise.all([...this.writing, new Promise(setImmediate)]);
  }

  private schedule(): void {
    if (this.cutDue || this.writing.size >= this.parallel || !this.queue.length) return;
    this.cutDue = true;
    setImmediate(() => {
      this.cutDue = false;
      this.write();
    });
  }

  /** Cuts a group from the head of the queue and writes it; the next cut is scheduled when there is room. */
  private write(): void {
    if (this.writing.size >= this.parallel || !this.queue.length) return;
    let events = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || events + this.queue[n]!.unit.events.length <= this.maxEvents))
      events += this.queue[n++]!.unit.events.length;
    const group = this.queue.splice(0, n);
    const done: Promise<void> = this.ledger
      .appendUnits(group.map((g) => g.unit))
      .then(
        (results) => group.forEach((g, i) => g.resolve(results[i]!)),
        (e: unknown) => {
          for (const g of group) g.reject(e);
        },
      )
      .finally(() => {
        this.writing.delete(done);
        this.schedule();
      });
    this.writing.add(done);
    this.schedule();
  }
}
