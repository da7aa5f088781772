// Following a plan run: its server-sent events, and a fallback when the stream drops.
import { api, ApiError, streamEvents } from "./api.js";
import { showError } from "./dom.js";

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const POLL_MS = 1000; // when the key's streams are all taken (429): read the plan this often

/**
 * Hand each state of plan `id` to onPlan until ended() says the run is over.
 * The stream ends by itself when the plan does; when it drops early, the plan is read
 * once (so nothing is missed) and the stream is opened again, backing off while it fails.
 * When the key holds as many streams as it may (other tabs, 429), the plan is read
 * every second instead.
 */
export async function followPlan(id, onPlan, ended, signal) {
  let failures = 0;
  let polling = false;
  while (!ended()) {
    if (!polling) {
      try {
        await streamEvents(`/plans/${id}/events`, (name, data) => name === "plan" && onPlan(data), signal);
      } catch (error) {
        if (ended() || signal.aborted) return;
        if (error instanceof ApiError && error.status === 429) {
          polling = true;
        } else if (error instanceof ApiError && error.status < 500) {
          showError(error);
          return;
        }
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
    if (!ended()) await pause(polling && failures === 0 ? POLL_MS : Math.min(8000, 500 * 2 ** failures));
  }
}
