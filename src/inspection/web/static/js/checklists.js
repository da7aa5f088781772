// The checklists view: what each unit submitted, the import template, and importing a file.
import { api, download, query } from "./api.js";
import { fill, h, showError, toast } from "./dom.js";
import { CHECKLIST_STATUS, INSPECTION_TYPES } from "./labels.js";
import { isRole, state, unitName } from "./state.js";

// past about a year of windows, reading the rounds to mark placed checklists stops being cheap
const MAX_PLACED_SPAN_DAYS = 400;

let root = null;
let controls = null;
let loading = 0;

function templateButton(id, label, path, name, secondary) {
  const click = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await download(path, name);
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  };
  return h(`button#${id}${secondary ? ".secondary" : ""}`, { type: "button", on: { click } }, label);
}

function importCard() {
  const file = h("input#import-file", { type: "file", name: "file", accept: ".xlsx,.csv", required: true });
  return h(
    "section.card.import",
    h("h2", "导入检查清单"),
    h(
      "p.hint",
      "先下载模板，按“填写说明”每行填写一项检查事项，编号相同的行合为一份清单；再选择填好的文件导入。",
      "文件中任何一处有错，整个文件都不会导入。",
    ),
    h(
      "div.toolbar",
      templateButton("template-xlsx", "下载 Excel 模板", "/checklists/template.xlsx", "检查清单导入模板.xlsx", true),
      templateButton("template-csv", "下载 CSV 模板", "/checklists/template.csv", "检查清单导入模板.csv", true),
    ),
    h(
      "form#import-form.toolbar",
      { on: { submit: submitImport } },
      h("label", "选择文件（.xlsx 或 .csv）", file),
      h("button#import-submit", { type: "submit" }, "导入"),
    ),
    h("p#import-result.hint", { hidden: true, role: "status" }),
    h("div#import-errors", { hidden: true, role: "alert" }),
  );
}

/** What an import did, in words: new, already imported (unchanged), amended. */
function importResult(summary) {
  const parts = [];
  if (summary.created) parts.push(`新建 ${summary.created} 份检查清单`);
  if (summary.amended) parts.push(`按文件修改了 ${summary.amended} 份`);
  if (summary.unchanged) parts.push(`${summary.unchanged} 份此前已导入、内容未变，没有重复保存`);
  return parts.length ? `导入完成：${parts.join("；")}。` : "文件中没有检查清单。";
}

/** Build the view once; the list comes with show(). */
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
  fill(
    section,
    importCard(),
    h(
      "section.card",
      h("h2", heading),
      h(
        "div.toolbar",
        unit ? h("label", "执法单位", unit) : null,
        h("label", "状态", status),
        h("span.hint#checklists-count"),
      ),
      h("div.table-wrap", h("table#checklists-table")),
    ),
  );
}

export function show() {
  load();
}

function windowText(checklist) {
  return checklist.earliest === checklist.latest
    ? checklist.earliest
    : `${checklist.earliest} 至 ${checklist.latest}`;
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
  const columns = ["清单名称", "执法单位", "类型", "检查窗口", "检查对象", "检查事项", "优先级", "状态"];
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
              h("td.title", c.title),
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

/**
 * How many of each checklist's targets sit in published rounds, from one read of /rounds
 * over the listed windows; null when that read would be too large to be worth it.
 */
async function placedCounts(checklists, unit) {
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

function showImportErrors(error, form) {
  const box = root.querySelector("#import-errors");
  const rows = Array.isArray(error.problem?.errors) ? error.problem.errors : [];
  // a checklist imported before with other content: the file may be imported as amendments
  const changed = rows.filter((e) => e.column === "清单编号" && e.problem.includes("按修改导入"));
  box.hidden = false;
  if (rows.length === 0) {
    fill(box, h("p.error.import-problem", `导入失败：${error.message}`));
    return;
  }
  fill(
    box,
    h(
      "p.error.import-problem",
      `导入失败：文件中共有 ${rows.length} 处错误。导入是全部或全不：本次没有保存任何检查清单，`,
      "请按下表的行号和列修改文件后重新导入。",
    ),
    changed.length
      ? h(
          "p.import-amend",
          `其中 ${changed.length} 份清单此前已导入，本文件中的内容与之不同。若本文件是修订后的版本，可以`,
          h(
            "button#import-amend.secondary",
            { type: "button", on: { click: () => sendImport(form, "amend") } },
            "按修改导入",
          ),
          "：这些清单会改成本文件的内容（已排入已发布排期的清单不能修改）。",
        )
      : null,
    h(
      "div.table-wrap",
      h(
        "table#import-error-table",
        h(
          "thead",
          h("tr", h("th.num", { scope: "col" }, "行号"), h("th", { scope: "col" }, "列"), h("th", { scope: "col" }, "问题")),
        ),
        h(
          "tbody",
          rows.map((e) =>
            h(
              "tr",
              { dataset: { row: e.row, column: e.column } },
              h("td.num", String(e.row)),
              h("td", e.column),
              h("td", e.problem),
            ),
          ),
        ),
      ),
    ),
  );
}

async function submitImport(event) {
  event.preventDefault();
  await sendImport(event.currentTarget, "refuse");
}

/** Upload the chosen file; `onChange` says what to do with checklists imported before. */
async function sendImport(form, onChange) {
  const input = form.querySelector("#import-file");
  const button = form.querySelector("#import-submit");
  const box = root.querySelector("#import-errors");
  const result = root.querySelector("#import-result");
  if (!input.files.length) {
    input.reportValidity();
    return;
  }
  const body = new FormData();
  body.append("file", input.files[0]);
  button.disabled = true;
  button.textContent = "正在导入…";
  result.hidden = true;
  try {
    const summary = await api(`/checklists/import${query({ on_change: onChange })}`, { method: "POST", form: body });
    box.hidden = true;
    fill(box);
    form.reset();
    result.textContent = importResult(summary);
    Object.assign(result.dataset, {
      created: summary.created,
      unchanged: summary.unchanged,
      amended: summary.amended,
    });
    result.hidden = false;
    toast(importResult(summary), "good");
    await load();
  } catch (error) {
    showImportErrors(error, form);
  } finally {
    button.disabled = false;
    button.textContent = "导入";
  }
}
