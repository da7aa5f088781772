// The to-do view of a unit (待填报): its visits whose day has come that still lack its outcome
// or, where it leads the round, its confirmation, soonest deadline first; each opens the round.
import { api } from "./api.js";
import { dayLabel, fill, h, showError, stackOnPhone } from "./dom.js";
import { on, state, unitName } from "./state.js";
import { openRoundDialog } from "./week_dialog.js";

let root = null;
let loading = 0;

export function init(section) {
  root = section;
  fill(
    section,
    h(
      "section.card#pending",
      h("h2", "待填报的检查结果"),
      h(
        "p.hint",
        `${state.me.unit_name || "本单位"}参加的检查：检查日当天填报本单位的检查结果，之后在补录期限内补录并说明原因；牵头单位在各单位填报后确认已实施。`,
      ),
      h("p.hint#pending-count"),
      h("div.table-wrap", h("table#pending-table")),
    ),
  );
  on("outcomes", () => {
    if (!root.hidden) load();
  });
}

export async function show() {
  await load();
}

function needs(p) {
  const parts = [];
  if (p.needs.outcome) parts.push(h("span.badge.warn.need-outcome", "填报本单位结果"));
  // the lead waits for the other units; its own missing outcome is the badge above
  const others = p.waiting_for.filter((u) => u !== state.me.unit_id);
  if (p.needs.confirmation && p.confirmable) parts.push(h("span.badge.warn.need-confirmation", "确认已实施"));
  else if (p.needs.confirmation && others.length > 0) {
    parts.push(
      h("span.badge.need-waiting", { title: others.map(unitName).join("、") }, `待其他 ${others.length} 个单位填报后确认`),
    );
  }
  return parts;
}

function left(p) {
  const until = h("span.until", `至 ${p.backfill_until}`);
  if (p.days_left === 0) return [h("span.badge.bad", "今天截止"), until];
  return [h(p.days_left <= 2 ? "span.badge.warn" : "span", `剩 ${p.days_left} 天`), until];
}

function row(p) {
  const label = p.needs.outcome ? "填报" : p.confirmable ? "确认" : "查看";
  const open = h("button.open-round", { type: "button", dataset: { roundId: p.round_id } }, label);
  open.addEventListener("click", () => openRoundDialog(p.round_id));
  return h(
    "tr",
    { dataset: { code: p.code } },
    h("td.day", dayLabel(p.day)),
    h("td", p.enterprise_name),
    h("td", p.lead ? h("span.chip.lead", "牵头") : h("span.chip", "参与")),
    h("td", needs(p)),
    h("td", left(p)),
    h("td.code", h("span.inspection-code", p.code)),
    h("td.actions", open),
  );
}

function render(pending) {
  const columns = ["检查日期", "企业", "本单位", "待办", "期限", "检查码", ""];
  const table = root.querySelector("#pending-table");
  fill(
    table,
    h("thead", h("tr", columns.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      pending.length === 0
        ? h("tr", h("td.empty", { colspan: columns.length }, "没有待填报的检查结果。"))
        : pending.map(row),
    ),
  );
  if (pending.length > 0) stackOnPhone(table);
  root.querySelector("#pending-count").textContent = `共 ${pending.length} 项待办`;
}

async function load() {
  const ticket = ++loading;
  root.setAttribute("aria-busy", "true");
  try {
    const pending = await api("/outcomes/pending");
    if (ticket === loading) render(pending);
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) root.removeAttribute("aria-busy");
  }
}
