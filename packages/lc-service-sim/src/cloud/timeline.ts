/** One call the emulator made to the service, and its answer. */
export interface CallEntry {
  seq: number;
  kind: 'call';
  /** Simulated ms since the run started. */
  at: number;
  etype: string;
  /** What the call is about: a hostname, a command, a detection name; '' for org-wide calls. */
  target: string;
  /** Extra context, e.g. which task a reply detection answers. */
  about?: string;
  data: Record<string, unknown>;
  status?: number;
  reply?: unknown;
  error?: string;
  ms: number;
  ok: boolean;
}

export interface NoteEntry {
  seq: number;
  kind: 'note';
  at: number;
  level: 'info' | 'warn';
  text: string;
}

/** A task the service sent to a sensor through the emulated API. */
export interface TaskRecord {
  id: number;
  at: number;
  sid: string;
  hostname: string;
  commands: string[];
  investigationId?: string;
  /** What became of each reply, in order. */
  outcomes: string[];
}

export interface TaskEntry {
  seq: number;
  kind: 'task';
  at: number;
  task: TaskRecord;
}

export type TimelineEntry = CallEntry | NoteEntry | TaskEntry;

export interface EtypeCount {
  sent: number;
  ok: number;
  failed: number;
}

type NewEntry = Omit<CallEntry, 'seq'> | Omit<NoteEntry, 'seq'> | Omit<TaskEntry, 'seq'>;

/** Everything that happened in a run, in order, with counts; listeners see each entry once. */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  readonly tasks: TaskRecord[] = [];
  readonly counts = new Map<string, EtypeCount>();
  private readonly listeners: ((entry: TimelineEntry) => void)[] = [];

  onEntry(listener: (entry: TimelineEntry) => void): void {
    this.listeners.push(listener);
  }

  add(entry: NewEntry): TimelineEntry {
    const full = { ...entry, seq: this.entries.length + 1 } as TimelineEntry;
    this.entries.push(full);
    if (full.kind === 'call') {
      const count = this.counts.get(full.etype) ?? { sent: 0, ok: 0, failed: 0 };
      count.sent++;
      if (full.ok) count.ok++;
      else count.failed++;
      this.counts.set(full.etype, count);
    } else if (full.kind === 'task') {
      this.tasks.push(full.task);
    }
    for (const listener of this.listeners) listener(full);
    return full;
  }

  note(at: number, text: string, level: NoteEntry['level'] = 'info'): void {
    this.add({ kind: 'note', at, level, text });
  }

  calls(): CallEntry[] {
    return this.entries.filter((e): e is CallEntry => e.kind === 'call');
  }

  failures(): CallEntry[] {
    return this.calls().filter((e) => !e.ok);
  }

  warnings(): NoteEntry[] {
    return this.entries.filter((e): e is NoteEntry => e.kind === 'note' && e.level === 'warn');
  }

  since(seq: number, limit: number): TimelineEntry[] {
    return this.entries.slice(Math.max(0, seq), Math.max(0, seq) + limit);
  }
}
