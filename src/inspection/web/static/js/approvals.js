// The approvals view (审批): the checklists waiting for their unit head's approval. A unit
// sees its own unit's drafts, and its head approves them here (批准); coordinators see every
// unit's drafts, read only (a unit's head approves, never the coordinator).
import { api, query } from "./api.js";
import { fill, h, showError, stackOnPhone, toast } from "./dom.js";
import { CASE_DRIVEN_TYPES, INSPECTION_TYPES, UNIT_HEAD } from "./labels.js";
import { checklistHref, checklistName, windowText } from "./checklist_shared.js";
import { emit, isRole, state, unitName } from "./state.js";

let root = null;
let loading = 0;

function mayApprove() {
  return isRole("unit") && state.me.unit_head === true;
}

function intro() {
  if (mayApprove()) {
    return `您是${state.me.unit_name || "本单位"}的${UNIT_HEAD}：批准后，清单才会排入排期。`;
  }
  if (isRole("unit")) return `以下清单等待${state.me.unit_name || "本单位"}${UNIT_HEAD}批准；批准后才会排入排期。`;
  return `各单位待审批的检查清单，由各单位${UNIT_HEAD}批准（协调人只能查看）。`;
}

/** Build the view once; show() reads the drafts. */
export function init(section) {
  root = section;
  fill(
    section,
    h(
      "section.card#approvals",
      h("h2", "待审批的检查清单"),
      h("p.hint#approvals-intro", intro()),
      h(
        "p.hint",
        "投诉举报、转办交办的检查可先排期、事后补批（批准时记为“事后补批”）；其余检查须先批准。",
      ),
      h("p.hint#approvals-count"),
      h("div.table-wrap", h("table#approvals-table")),
    ),
  );
}

export async function show() {
  await load();
}

async function approve(checklist, button) {
  button.disabled = true;
  try {
    const done = await api(`/checklists/${checklist.id}/approve`, { method: "POST" });
    const afterwards = done.approved_afterwards ? "（事后补批）" : "";
    toast(`已批准检查清单${checklistName(done)}${afterwards}`, "good");
    emit("approved", done);
  } catch (error) {
    showError(error);
  }
  await load();
}

function row(c) {
  const caseDriven = CASE_DRIVEN_TYPES.has(c.inspection_type);
  const button = h("button.approve", { type: "button", dataset: { id: c.id } }, "批准");
  button.addEventListener("click", () => approve(c, button));
  return h(
    "tr",
    { dataset: { id: c.id, unit: c.unit_id } },
    h("td.title", h("a", { href: checklistHref(c.id) }, c.title)),
    h("td.reference", c.reference || "（未编号）"),
    h("td", unitName(c.unit_id)),
    h(
      "td",
      INSPECTION_TYPES[c.inspection_type] || c.inspection_type,
      caseDriven ? h("span.badge", { title: "可先排期，事后补批" }, "可先排期") : null,
    ),
    h("td.window", windowText(c)),
    h("td.num", String(c.targets.length)),
    h("td.num", String(c.items.length)),
    h("td.num", `第 ${c.version} 版`),
    mayApprove() ? h("td.actions", button) : null,
  );
}

function render(drafts) {
  const columns = ["清单名称", "清单编号", "执法单位", "类型", "检查窗口", "检查对象", "检查事项", "版本"];
  if (mayApprove()) columns.push("审批");
  const numeric = new Set(["检查对象", "检查事项", "版本"]);
  const table = root.querySelector("#approvals-table");
  fill(
    table,
    h("thead", h("tr", columns.map((c) => h(numeric.has(c) ? "th.num" : "th", { scope: "col" }, c)))),
    h(
      "tbody",
      drafts.length === 0
        ? h("tr", h("td.empty", { colspan: columns.length }, "没有等待审批的检查清单。"))
        : drafts.map(row),
    ),
  );
  if (drafts.length > 0) stackOnPhone(table); // a phone shows each draft as a card, 批准 in it
  root.querySelector("#approvals-count").textContent = `共 ${drafts.length} 份待审批`;
}

async function load() {
  const ticket = ++loading;
  root.setAttribute("aria-busy", "true");
  try {
    // a unit key reads its own unit's only, whatever it asks; coordinators every unit's
    const drafts = await api(`/checklists${query({ status: "draft", limit: 1000 })}`);
    if (ticket === loading) render(drafts);
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) root.removeAttribute("aria-busy");
  }
}
