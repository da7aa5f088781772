// What the checklists' pages share: how a checklist is named to people, its window in words,
// the enterprises (for names and for choosing targets) and where a checklist was announced.
import { api, query } from "./api.js";

// past about a year of windows, reading the rounds to mark placed checklists stops being cheap
const MAX_PLACED_SPAN_DAYS = 400;
const ENTERPRISE_PAGE = 1000; // the API's largest page

let enterprises = null;
// what the yearly caps said when a checklist was just saved, shown once on its page
const capWarnings = new Map();

/** Keep the caps' warnings of the answer that saved checklist `id`, for its page to show. */
export function rememberCapWarnings(id, warnings) {
  if (warnings && warnings.length) capWarnings.set(String(id), warnings);
}

/** The caps' warnings kept for checklist `id` (then forgotten), or []. */
export function takeCapWarnings(id) {
  const found = capWarnings.get(String(id)) || [];
  capWarnings.delete(String(id));
  return found;
}

/** “title”（清单编号 X）: how every message names a checklist; people never see its id. */
export function checklistName(checklist) {
  return checklist.reference
    ? `“${checklist.title}”（清单编号 ${checklist.reference}）`
    : `“${checklist.title}”`;
}

export function windowText(checklist) {
  return checklist.earliest === checklist.latest
    ? checklist.earliest
    : `${checklist.earliest} 至 ${checklist.latest}`;
}

/** Every enterprise by credit code, read once per page load (a district has some thousands). */
export async function enterpriseMap() {
  if (enterprises) return enterprises;
  const found = new Map();
  for (let offset = 0; ; offset += ENTERPRISE_PAGE) {
    const page = await api(`/enterprises${query({ limit: ENTERPRISE_PAGE, offset })}`);
    for (const e of page) found.set(e.credit_code, e);
    if (page.length < ENTERPRISE_PAGE) break;
  }
  enterprises = found;
  return found;
}

/**
 * How many of each checklist's targets sit in published rounds, from one read of /rounds
 * over the listed windows; null when that read would be too large to be worth it.
 */
export async function placedCounts(checklists, unit) {
  if (checklists.length === 0) return null;
  const from = checklists.reduce((m, c) => (c.earliest < m ? c.earliest : m), checklists[0].earliest);
  const to = checklists.reduce((m, c) => (c.latest > m ? c.latest : m), checklists[0].latest);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PLACED_SPAN_DAYS) return null;
  const rounds = await api(`/rounds${query({ from, to, unit })}`);
  const placed = new Map();
  for (const round of rounds) {
    for (const request of round.requests) {
      placed.set(request.checklist_id, (placed.get(request.checklist_id) || 0) + 1);
    }
  }
  return placed;
}

/** The address of a checklist's page (the id stays in the address, never in the text). */
export function checklistHref(id, place = "") {
  return `#checklists/${id}${place ? `/${place}` : ""}`;
}
