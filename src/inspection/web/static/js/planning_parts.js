// A city's or a province's plan solved by district (GET /plans/{id}/parts): one row per
// district with its state, requests, progress and time, read again while the plan runs.
// Hidden for a plan solved whole (a district's plan; every plan of the in-process runner).
import { api } from "./api.js";
import { fill, h, showError, stackOnPhone } from "./dom.js";
import { ENDED_PART_STATUSES, PART_STATUS, PLAN_PARTS as L } from "./labels.js";

const REFRESH_MS = 1000; // at most this often while the plan's progress moves

let card = null;
let view = null; // the plan whose parts are on screen: {id, plan, whole, busy, again, last, timer}

/** The card's node (hidden until a plan with parts is shown). */
export function partsCard() {
  card = h("section#plan-parts.card", { hidden: true, "aria-live": "polite" });
  return card;
}

/** Follow another plan's parts (or none: `plan` null); the card is emptied at once. */
export function showParts(plan) {
  if (view) clearTimeout(view.timer);
  view = plan ? { id: plan.id, plan, whole: false, busy: false, again: false, last: 0, timer: null } : null;
  card.hidden = true;
  fill(card);
  if (plan) refreshParts(plan);
}

/**
 * The plan changed (a new state or progress): read its parts again, at most once a second,
 * always once more after the last change. Once a plan has figures but no parts it is solved
 * whole (the split stores the parts and the first figures together): not asked again.
 */
export function refreshParts(plan) {
  if (!view || view.id !== plan.id || view.whole) return;
  view.plan = plan;
  if (view.busy || view.timer !== null) {
    view.again = true;
    return;
  }
  const wait = Math.max(0, view.last + REFRESH_MS - performance.now());
  view.timer = setTimeout(() => load(view), wait);
}

async function load(current) {
  current.timer = null;
  current.busy = true;
  current.again = false;
  const plan = current.plan;
  let parts;
  try {
    parts = await api(`/plans/${current.id}/parts`);
  } catch (error) {
    showError(error);
    return;
  } finally {
    current.busy = false;
    current.last = performance.now();
  }
  if (current !== view) return; // another plan took the screen meanwhile
  if (parts.length === 0 && plan.progress) current.whole = true;
  render(parts);
  if (current.again) refreshParts(current.plan);
}

const tenths = (seconds) => String(Number(seconds.toFixed(1)));

function progressCell(part) {
  const p = part.progress;
  if (!p) return h("td.plan-part-progress", part.status === "queued" ? "—" : L.no_figures);
  const bound = p.rounds_bound > 0 ? `${L.bound} ${p.rounds_bound}` : L.no_bound;
  // an ended part's bound is its relaxed model's (the whole's share), not its own model's
  const relaxed = part.relaxed === true && ENDED_PART_STATUSES.has(part.status);
  return h(
    "td.plan-part-progress",
    relaxed ? { title: L.relaxed_hint } : null,
    `${p.rounds} ${L.rounds} / ${bound}`,
    relaxed && h("span.hint", L.relaxed),
  );
}

function timeText(part) {
  const limit = `${L.limit} ${tenths(part.time_limit_s)} ${L.seconds}`;
  return part.progress ? `${tenths(part.progress.elapsed_s)} ${L.seconds} / ${limit}` : limit;
}

function row(part) {
  const [label, kind] = PART_STATUS[part.status] || [part.status, ""];
  return h(
    "tr.plan-part",
    { dataset: { region: part.region, status: part.status } },
    h(
      "td.plan-part-region",
      { title: part.region },
      part.region_name,
      part.shared_units.length > 0 && h("span.hint", ` ${L.shared} ${part.shared_units.length} 个`),
    ),
    h(
      "td.plan-part-status",
      h(`span.badge${kind ? `.${kind}` : ""}`, label),
      part.attempt > 1 && h("span.hint", ` 第 ${part.attempt} ${L.attempt}`),
      part.error && h("p.error.plan-part-error", part.error),
    ),
    h("td.plan-part-requests", String(part.requests)),
    progressCell(part),
    h("td.plan-part-time", timeText(part)),
  );
}

function render(parts) {
  card.hidden = parts.length === 0;
  if (parts.length === 0) {
    fill(card);
    return;
  }
  const ended = parts.filter((p) => ENDED_PART_STATUSES.has(p.status)).length;
  fill(
    card,
    h("h3", L.title, " ", h("span#plan-parts-ended.badge", `${ended} / ${parts.length} ${L.ended}`)),
    h("p.hint", L.hint),
    h(
      "div.table-wrap",
      stackOnPhone(
        h(
          "table#plan-parts-table",
          h("thead", h("tr", L.columns.map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", parts.map(row)),
        ),
      ),
    ),
  );
}
