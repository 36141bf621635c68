// The page's saves, one at a time and in order, never dropped silently.
//
// Each operation is `{run, uids, what}`: `run()` performs one request (and applies the
// server's answer); `uids` are the spans it concerns; `what` describes it for messages.
// Operations run in the order they were queued, so an edit of a span waits for the span to
// exist on the server. When one fails, the queue stops and keeps it and everything after
// it, until `retry()` runs them again or `discard()` gives them up.
//
// Pure module, no DOM: tested by `node --test tests/js/`.

/**
 * @typedef {object} Operation
 * @property {() => Promise<void>} run
 * @property {string[]} [uids]
 * @property {string} [what]
 */

/**
 * @typedef {object} QueueState
 * @property {number} pending - Operations not yet saved, including a failed one.
 * @property {boolean} saving - Whether a request is under way.
 * @property {{operation: Operation, error: unknown} | null} failure
 */

/**
 * Return a save queue; `onChange(state)` is called whenever its state changes.
 *
 * @param {{onChange?: (state: QueueState) => void}} [options]
 */
export function createSaveQueue({ onChange = () => {} } = {}) {
  const pending = [];
  let saving = false;
  let failure = null;
  let waiters = [];

  function state() {
    return { pending: pending.length, saving, failure };
  }

  function changed() {
    onChange(state());
    if (pending.length === 0) {
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    }
  }

  async function pump() {
    if (saving || failure) return;
    saving = true;
    changed();
    while (pending.length > 0) {
      try {
        await pending[0].run();
      } catch (error) {
        failure = { operation: pending[0], error };
        break;
      }
      pending.shift();
      changed();
    }
    saving = false;
    changed();
  }

  return {
    /** Queue `operation` and start saving if nothing blocks. */
    enqueue(operation) {
      if (typeof operation?.run !== "function") {
        throw new TypeError("an operation needs a run() function");
      }
      pending.push(operation);
      changed();
      pump();
    },
    /** Run the failed operation and the ones after it again. */
    retry() {
      if (!failure) return;
      failure = null;
      pump();
    },
    /** Give up the failed operation and every one after it. */
    discard() {
      if (saving) return;
      pending.length = 0;
      failure = null;
      changed();
    },
    /** Return the uids of spans with changes not yet saved. */
    unsavedUids() {
      return new Set(pending.flatMap((operation) => operation.uids ?? []));
    },
    /** Return a promise resolved once nothing is pending (at once if nothing is). */
    idle() {
      if (pending.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    state,
  };
}
