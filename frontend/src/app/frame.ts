// DOM writes batched per animation frame: a burst of events (scrolls, keystrokes, list
// reloads) schedules the same task many times, and it runs once, just before the next paint.
// The browser would lay out and paint at most once per frame anyway; writing more often only
// costs script and style time that the frame cannot use.

/** Asks for `callback` before the next paint (requestAnimationFrame in a browser). */
export type FrameRequest = (callback: () => void) => void;

/** requestAnimationFrame, looked up when called (so modules load under Node's test runner). */
export const animationFrame: FrameRequest = (callback) => {
  requestAnimationFrame(() => callback());
};

/** Tasks run once per frame however often they are scheduled, in the order first asked. */
export class FrameBatch {
  private readonly tasks = new Set<() => void>();
  private requested = false;
  /** Frames that ran at least one task (what a test or benchmark counts). */
  frames = 0;

  constructor(private readonly request: FrameRequest = animationFrame) {}

  /** Run `task` in the next frame; scheduling it again before then changes nothing. */
  schedule(task: () => void): void {
    this.tasks.add(task);
    if (this.requested) return;
    this.requested = true;
    this.request(() => this.flush());
  }

  /** Forget `task` if it has not run yet (e.g. its owner was removed from the page). */
  cancel(task: () => void): void {
    this.tasks.delete(task);
  }

  /** True while `task` waits for the next frame. */
  pending(task: () => void): boolean {
    return this.tasks.has(task);
  }

  /** Run every waiting task now (a frame arrived, or a caller needs the DOM up to date). */
  flush(): void {
    this.requested = false;
    if (this.tasks.size === 0) return;
    const tasks = [...this.tasks];
    this.tasks.clear();
    this.frames += 1;
    for (const task of tasks) {
      try {
        task();
      } catch (error) {
        // One failing task must not stop the others' updates; the console shows it.
        console.error(error);
      }
    }
  }
}

/** The page's shared batch: every component's writes land in the same frame. */
export const frames = new FrameBatch();

/** `fn` as a function that, however often called, runs `fn` once in the next frame. */
export function perFrame(fn: () => void, batch: FrameBatch = frames): () => void {
  const task = (): void => fn();
  return () => batch.schedule(task);
}
