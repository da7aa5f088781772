// The checklists view: a unit's checklists (or every unit's for coordinators), each with a page
// of its own (#checklists/<id>, its amendment at #checklists/<id>/edit), a form for a new one
// (#checklists/new), and the import of a file.
import { api, query } from "./api.js";
import { fill, h, showError } from "./dom.js";
import { CHECKLIST_STATUS, INSPECTION_TYPES } from "./labels.js";
import { renderDetail, renderEdit } from "./checklist_detail.js";
import { renderForm } from "./checklist_form.js";
import { importCard } from "./checklist_import.js";
import { checklistHref, placedCounts, windowText } from "./checklist_shared.js";
import { isRole, state, unitName } from "./state.js";

let root = null;
let home = null;
let page = null;
let controls = null;
let loading = 0;
let showing = 0;

/** Build the view once; the list or a checklist's page comes with show(). */
export function init(section) {
  root = section;
  const status = h(
    "select#checklists-status",
    { on: { change: load } },
    h("option", { value: "" }, "全部状态"),
    Object.entries(CHECKLIST_STATUS).map(([value, [label]]) => h("option", { value }, label)),
  );
  let unit = null;
  if (isRole("coordinator")) {
    unit = h(
      "select#checklists-unit",
      { on: { change: load } },
      h("option", { value: "" }, "全部单位"),
      state.units.map((u) => h("option", { value: u.id }, u.name)),
    );
  }
  controls = { status, unit };
  const heading = isRole("unit") ? `${state.me.unit_name || "本单位"}的检查清单` : "各单位的检查清单";
  home = h(
    "div#checklists-home",
    h(
      "section.card",
      h("div.list-head", h("h2", heading), h("a.button#checklist-new", { href: "#checklists/new" }, "新建检查清单")),
      h(
        "div.toolbar",
        unit ? h("label", "执法单位", unit) : null,
        h("label", "状态", status),
        h("span.hint#checklists-count"),
      ),
      h("div.table-wrap", h("table#checklists-table")),
    ),
    importCard(load),
  );
  page = h("div#checklist-page", { hidden: true });
  fill(section, home, page);
}

/** Show the list (no `place`), a new checklist's form ("new"), or a checklist ("12", "12/edit"). */
export async function show(place = "") {
  const onPage = place !== "";
  if (!onPage) showing += 1; // a page still being read is not wanted any more
  home.hidden = onPage;
  page.hidden = !onPage;
  if (!onPage) {
    fill(page);
    await load();
    return;
  }
  const ticket = ++showing;
  window.scrollTo(0, 0);
  fill(page, h("p.hint", "正在读取…"));
  const [id, sub] = place.split("/");
  // drawn aside and put in place only if no other place was asked for meanwhile
  const drawn = h("div.checklist-place");
  root.setAttribute("aria-busy", "true");
  try {
    if (id === "new") await renderForm(drawn);
    else if (sub === "edit") await renderEdit(drawn, id);
    else await renderDetail(drawn, id);
    if (ticket === showing) fill(page, drawn);
  } catch (error) {
    if (ticket === showing) showError(error);
  } finally {
    if (ticket === showing) root.removeAttribute("aria-busy");
  }
}

function statusCell(checklist, placed) {
  const [label, kind] = CHECKLIST_STATUS[checklist.status] || [checklist.status, ""];
  const count = placed ? placed.get(checklist.id) || 0 : 0;
  return h(
    "td.status",
    h(`span.badge${kind ? `.${kind}` : ""}`, label),
    count > 0
      ? h(
          "span.badge.good",
          { title: "已有检查对象排入已发布的排期" },
          `已发布 ${count}/${checklist.targets.length} 家`,
        )
      : null,
  );
}

function renderTable(checklists, placed) {
  const table = root.querySelector("#checklists-table");
  const columns = ["清单名称", "清单编号", "执法单位", "类型", "检查窗口", "检查对象", "检查事项", "优先级", "状态"];
  const numeric = new Set(["检查对象", "检查事项", "优先级"]);
  fill(
    table,
    h("thead", h("tr", columns.map((c) => h(numeric.has(c) ? "th.num" : "th", { scope: "col" }, c)))),
    h(
      "tbody",
      checklists.length === 0
        ? h("tr", h("td.empty", { colspan: columns.length }, "没有符合条件的检查清单。"))
        : checklists.map((c) =>
            h(
              "tr",
              { dataset: { id: c.id, unit: c.unit_id, status: c.status } },
              h("td.title", h("a", { href: checklistHref(c.id) }, c.title)),
              h("td.reference", c.reference || ""),
              h("td", unitName(c.unit_id)),
              h("td", INSPECTION_TYPES[c.inspection_type] || c.inspection_type),
              h("td.window", windowText(c)),
              h("td.num.targets", String(c.targets.length)),
              h("td.num.items", String(c.items.length)),
              h("td.num", String(c.priority)),
              statusCell(c, placed),
            ),
          ),
    ),
  );
  root.querySelector("#checklists-count").textContent = `共 ${checklists.length} 份`;
}

async function load() {
  const ticket = ++loading;
  const unit = controls.unit ? controls.unit.value : "";
  root.setAttribute("aria-busy", "true");
  try {
    // the largest page the list serves (GET /checklists answers 100 unless told otherwise)
    const checklists = await api(`/checklists${query({ unit, status: controls.status.value, limit: 1000 })}`);
    if (ticket !== loading) return;
    renderTable(checklists, null);
    let placed = null;
    try {
      placed = await placedCounts(checklists, unit);
    } catch {
      placed = null; // the marks are a nicety: the list stands without them
    }
    if (ticket === loading && placed) renderTable(checklists, placed);
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) root.removeAttribute("aria-busy");
  }
}
