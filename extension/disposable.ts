// The one lifetime pattern of the extension: everything that holds a resource (a timer,
// a watcher, a process, a VS Code registration) is a Disposable, and owners dispose
// what they registered in reverse order. Kept free of `vscode` so the pure modules and
// their unit tests can use it; VS Code's own disposables fit the `{ dispose(): void }` shape.

export interface DisposableLike {
  dispose(): void;
}

export class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Take ownership of `d`: it is disposed with this object (last registered, first disposed). */
  protected register<T extends DisposableLike>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing cleanup must not keep the others from running.
      }
    }
  }
}

/** A disposable from a cleanup function. */
export function toDisposable(fn: () => void): DisposableLike {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** A tiny typed event, so vscode-free modules can notify their owners. */
export class Emitter<T> implements DisposableLike {
  private listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): DisposableLike => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
