// The officers view (执法人员): a unit's roster (every unit's for coordinators) with each
// certificate's expiry (expired, or expiring within 30 days, marked), days off and recusals;
// a form to add or edit an officer, and the import of a roster file.
import { api, download, query } from "./api.js";
import { fill, h, isoDate, showError, stackOnPhone, toast } from "./dom.js";
import { RECUSAL_KINDS } from "./labels.js";
import { officerForm, rosterImportCard } from "./officer_form.js";
import { isRole, state, unitName } from "./state.js";

const EXPIRING_DAYS = 30;

let root = null;
let unitSelect = null;
let formBox = null;
let loading = 0;

/** The certificate's state on `today`: [label, badge kind] (expired, expiring, valid). */
export function certificateState(expires, today = isoDate(new Date())) {
  if (expires < today) return ["已过期", "bad"];
  const soon = new Date(`${today}T00:00:00`);
  soon.setDate(soon.getDate() + EXPIRING_DAYS);
  if (expires <= isoDate(soon)) return [`${EXPIRING_DAYS} 天内到期`, "warn"];
  return ["有效", "good"];
}

/** Build the view once; show() reloads the roster. */
export function init(section) {
  root = section;
  if (isRole("coordinator")) {
    unitSelect = h(
      "select#officers-unit",
      { on: { change: load } },
      h("option", { value: "" }, "全部单位"),
      state.units.map((u) => h("option", { value: u.id }, u.name)),
    );
  }
  const heading = isRole("unit") ? `${state.me.unit_name || "本单位"}的执法人员` : "各单位的执法人员";
  formBox = h("div#officer-form-box", { hidden: true });
  fill(
    section,
    h(
      "section.card",
      h(
        "div.list-head",
        h("h2", heading),
        h("div.toolbar", h("button#officer-new", { type: "button", on: { click: () => edit(null) } }, "新增执法人员")),
      ),
      h(
        "p.hint",
        "证件有效期至当日（含）有效；过期后不会被抽取参加检查。休息日和回避企业在排期抽取执法人员时避开。",
      ),
      h(
        "div.toolbar",
        unitSelect ? h("label", "执法单位", unitSelect) : null,
        h(
          "button#officers-export.secondary",
          { type: "button", on: { click: exportRoster } },
          "导出名册（Excel）",
        ),
        h("span.hint#officers-count"),
      ),
      h("div.table-wrap", h("table#officers-table")),
    ),
    formBox,
    rosterImportCard(load),
  );
}

export async function show() {
  await load();
}

async function exportRoster(event) {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    await download(`/officers/export.xlsx${query({ unit: unitSelect?.value })}`, "执法人员名册.xlsx");
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

function edit(officer) {
  formBox.hidden = false;
  fill(
    formBox,
    officerForm(
      officer,
      async (saved) => {
        toast(`已保存：${saved.name}（${saved.badge_number}）`, "good");
        await load();
        edit(saved);
      },
      () => {
        formBox.hidden = true;
        fill(formBox);
      },
    ),
  );
  formBox.scrollIntoView({ block: "start" });
}

function expiryCell(officer) {
  const [label, kind] = certificateState(officer.certificate_expires);
  return h(
    "td.expiry",
    { dataset: { state: kind } },
    h("span.expiry-date", officer.certificate_expires),
    " ",
    h(`span.badge.${kind}`, label),
  );
}

function recusalsCell(officer) {
  if (officer.recusals.length === 0) return h("td.recusals", "—");
  return h(
    "td.recusals",
    officer.recusals.map((r) =>
      h(
        "div.recusal",
        { dataset: { code: r.credit_code, kind: r.kind } },
        h("span", r.enterprise_name),
        " ",
        h("span.badge", RECUSAL_KINDS[r.kind] || r.kind),
      ),
    ),
  );
}

function renderTable(officers) {
  const table = root.querySelector("#officers-table");
  const columns = ["姓名", "执法证号", "执法单位", "证件有效期至", "休息日期", "回避企业", "状态", "操作"];
  fill(
    table,
    h("thead", h("tr", columns.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      officers.length === 0
        ? h("tr", h("td.empty", { colspan: columns.length }, "名册中还没有执法人员：可逐个新增，或按模板导入。"))
        : officers.map((o) =>
            h(
              `tr${o.active ? "" : ".inactive"}`,
              { dataset: { id: o.id, badge: o.badge_number, unit: o.unit_id } },
              h("td.name", o.name),
              h("td.badge-number", o.badge_number),
              h("td", unitName(o.unit_id)),
              expiryCell(o),
              h("td.days-off", o.days_off.length ? o.days_off.join("、") : "—"),
              recusalsCell(o),
              h("td", o.active ? "在岗" : h("span.badge", "已停用")),
              h(
                "td",
                h("button.secondary.officer-edit", { type: "button", on: { click: () => edit(o) } }, "修改"),
              ),
            ),
          ),
    ),
  );
  stackOnPhone(table);
  const expired = officers.filter((o) => o.active && certificateState(o.certificate_expires)[1] === "bad");
  root.querySelector("#officers-count").textContent =
    `共 ${officers.length} 人` + (expired.length ? `，其中 ${expired.length} 人证件已过期` : "");
}

async function load() {
  const ticket = ++loading;
  root.setAttribute("aria-busy", "true");
  try {
    const officers = await api(`/officers${query({ unit: unitSelect?.value })}`);
    if (ticket === loading) renderTable(officers);
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) root.removeAttribute("aria-busy");
  }
}
