// The call's passing notices: who joined, who left, whose hand went up. A burst of the same kind
// (ten people arriving at the top of the hour) becomes one line that counts them.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type ToastKind = 'joined' | 'left' | 'hand' | 'broadcast';

export interface Toast {
  id: number;
  kind: ToastKind;
  /** Names in the order they came; the first is named, the rest counted. */
  names: string[];
}

/** How long a notice stays up after its last addition. */
export const TOAST_MS = 4000;
/** At most this many notices at once; older ones go first. */
const MAX_TOASTS = 3;

export class Toasts implements ReactiveController {
  items: Toast[] = [];
  private next = 1;
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  add(kind: ToastKind, name: string): void {
    // A host's message to every room is read whole: never folded into a count with the one before.
    const open = kind === 'broadcast' ? undefined : this.items.find((t) => t.kind === kind);
    let toast: Toast;
    if (open) {
      toast = { ...open, names: [...open.names, name] };
      this.items = this.items.map((t) => (t.id === open.id ? toast : t));
    } else {
      toast = { id: this.next++, kind, names: [name] };
      this.items = [...this.items, toast].slice(-MAX_TOASTS);
    }
    this.schedule(toast.id);
    this.host.requestUpdate();
  }

  dismiss(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
    this.host.requestUpdate();
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.items.length > 0) {
      this.items = [];
      this.host.requestUpdate();
    }
  }

  private schedule(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.set(
      id,
      setTimeout(() => {
        this.dismiss(id);
      }, TOAST_MS),
    );
  }

  hostDisconnected(): void {
    this.clear();
  }
}
