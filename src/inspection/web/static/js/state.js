// What the views share: who is signed in, the units, the week on screen, and a few events.
import { api, query } from "./api.js";
import { addDays } from "./dom.js";

export const state = {
  me: null, // {name, role, unit_id, unit_name, latest_published_day}
  landedOn: null, // the Monday the desk opened on because this week had nothing published
  units: [], // [{id, name, weekday_capacity, days_off}]
  unitNames: new Map(),
  weekStart: null, // yyyy-mm-dd, a Monday
  source: "published", // "published" or a plan id (coordinators may look at drafts)
  region: null, // the region code the planning views work on (the header's picker); null: the key's
};

/** The `region` query parameter of the planning views' reads: {} while no region is picked. */
export function regionParam() {
  return state.region ? { region: state.region } : {};
}

const listeners = new Map();

/** Subscribe to a desk event: "week" (week or source changed), "published", "plan-done",
 * "region" (the header's picker changed). */
export function on(event, handler) {
  if (!listeners.has(event)) listeners.set(event, []);
  listeners.get(event).push(handler);
}

export function emit(event, detail) {
  for (const handler of listeners.get(event) || []) handler(detail);
}

export function unitName(id) {
  return state.unitNames.get(id) || id;
}

export async function loadUnits() {
  state.units = await api("/units");
  state.unitNames = new Map(state.units.map((u) => [u.id, u.name]));
}

export function weekEnd() {
  return addDays(state.weekStart, 6);
}

export function setWeek(monday) {
  state.weekStart = monday;
  emit("week");
}

export function setSource(source) {
  state.source = source;
  emit("week");
}

/**
 * The rounds on screen, one shape whatever their source:
 * {id, plan_id, enterprise, enterprise_name, town, date, lead_unit, units, items, requests}.
 * Published rounds come from /rounds (a unit key gets its own only); a draft from its plan.
 */
export async function loadRounds(start = state.weekStart, end = weekEnd()) {
  if (state.source === "published") {
    const rounds = await api(`/rounds${query({ from: start, to: end })}`);
    return rounds.map((r) => ({ ...r, requests: r.requests.map((q) => q.id) }));
  }
  const planId = state.source;
  const rounds = await api(`/plans/${planId}/rounds`);
  return rounds
    .filter((r) => r.date >= start && r.date <= end)
    .map((r) => ({ ...r, plan_id: planId }));
}

export function isRole(...roles) {
  return state.me !== null && roles.includes(state.me.role);
}
