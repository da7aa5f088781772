// Following a plan run: its server-sent events, and a fallback when the stream drops.
import { api, ApiError, streamEvents } from "./api.js";
import { showError } from "./dom.js";

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hand each state of plan `id` to onPlan until ended() says the run is over.
 * The stream ends by itself when the plan does; when it drops early, the plan is read
 * once (so nothing is missed) and the stream is opened again, backing off while it fails.
 */
export async function followPlan(id, onPlan, ended, signal) {
  let failures = 0;
  while (!ended()) {
    try {
      await streamEvents(`/plans/${id}/events`, (name, data) => name === "plan" && onPlan(data), signal);
    } catch (error) {
      if (ended() || signal.aborted) return;
      if (error instanceof ApiError && error.status < 500) {
        showError(error);
        return;
      }
    }
    if (ended() || signal.aborted) return;
    try {
      onPlan(await api(`/plans/${id}`));
      failures = 0;
    } catch (error) {
      failures += 1;
      if (error instanceof ApiError && error.status < 500) {
        showError(error);
        return;
      }
    }
    if (!ended()) await pause(Math.min(8000, 500 * 2 ** failures));
  }
}
