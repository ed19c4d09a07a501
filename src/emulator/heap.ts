/** A binary min-heap of simulation events ordered by (time, insertion order) so runs are deterministic. */
export type EventKind =
  | 'arrive'
  | 'route'
  | 'end'
  | 'obit'
  | 'release'
  | 'exectime'
  | 'qdel'
  | 'purge'
  | 'node-fail'
  | 'node-up'
  | 'resv-new'
  | 'resv-start'
  | 'resv-end'
  | 'rerun'
  | 'sched';

/** [time, order, kind, target (job key / node index / resv id), tag (e.g. run_count the event belongs to)] */
export type SimEvent = [number, number, EventKind, string | number, number];

function less(a: SimEvent, b: SimEvent): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export class EventHeap {
  readonly items: SimEvent[];
  private order: number;

  constructor(items: SimEvent[] = [], order = 0) {
    this.items = items;
    this.order = order;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get nextOrder(): number {
    return this.order;
  }

  get size(): number {
    return this.items.length;
  }

  peek(): SimEvent | undefined {
    return this.items[0];
  }

  /** Adds an event at a whole second. */
  push(t: number, kind: EventKind, target: string | number, tag = 0): void {
    const e: SimEvent = [Math.round(t), this.order++, kind, target, tag];
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i] as SimEvent, a[p] as SimEvent)) break;
      [a[i], a[p]] = [a[p] as SimEvent, a[i] as SimEvent];
      i = p;
    }
  }

  pop(): SimEvent | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const a = this.items;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && less(a[l] as SimEvent, a[m] as SimEvent)) m = l;
      if (r < n && less(a[r] as SimEvent, a[m] as SimEvent)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m] as SimEvent, a[i] as SimEvent];
      i = m;
    }
  }
}
