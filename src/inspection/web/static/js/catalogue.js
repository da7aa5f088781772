// The item catalogue view (事项清单): a unit's items with their revisions and states, a form for a
// draft (new, or changes to one), drafting a published item's next revision, retiring one, publishing
// the drafts as an edition from a date, the editions, and the catalogue as Excel in and out.
import { api, download } from "./api.js";
import { fill, h, isoDate, showError, stackOnPhone, toast } from "./dom.js";
import { ITEM_CATEGORIES, ITEM_LEVELS, ITEM_STATES } from "./labels.js";
import { isRole, state, unitName } from "./state.js";

let root = null;
let unitPick = null;
let showRetired = null;
let formCard = null;
let loading = 0;
let current = { items: [], editions: [] };

function unitId() {
  return unitPick ? unitPick.value : state.me.unit_id;
}

/** Build the view once; its data comes with show(). */
export function init(section) {
  root = section;
  if (isRole("coordinator")) {
    unitPick = h(
      "select#catalogue-unit",
      { on: { change: load } },
      state.units.map((u) => h("option", { value: u.id }, u.name)),
    );
  }
  showRetired = h("input#catalogue-retired", { type: "checkbox", on: { change: load } });
  formCard = h("section.card#catalogue-form-card", { hidden: true });
  const heading = unitPick ? "各单位的检查事项清单" : `${state.me.unit_name || "本单位"}的检查事项清单`;
  fill(
    section,
    h(
      "section.card",
      h(
        "div.list-head",
        h("h2", heading),
        h("button#catalogue-new", { type: "button", on: { click: () => openForm(null) } }, "新增事项"),
      ),
      h(
        "p.hint",
        "检查清单只能使用本单位已公布、在检查开始日施行的事项，法律依据以本清单为准；标明可非现场核查的事项，",
        "检查清单须写明现场检查理由。尚未公布过事项清单的单位不受此限制。已公布的事项不能直接修改：起草新版本，公布后自施行日期起替代旧版本。",
      ),
      h(
        "div.toolbar",
        unitPick ? h("label", "执法单位", unitPick) : null,
        h("label.inline", showRetired, "显示已停用的事项"),
        h("span.hint#catalogue-count"),
      ),
      h("div.table-wrap", h("table#catalogue-table")),
    ),
    formCard,
    publishCard(),
    h("section.card", h("h2", "已公布的版本"), h("div.table-wrap", h("table#catalogue-editions"))),
    fileCard(),
  );
}

export async function show() {
  await load();
}

function stateBadge(item) {
  const [label, kind] = ITEM_STATES[item.state] || [item.state, ""];
  return h(`span.badge${kind ? `.${kind}` : ""}`, label);
}

function actions(item) {
  if (item.state === "draft") {
    return h("button.secondary.item-edit", { type: "button", on: { click: () => openForm(item) } }, "修改");
  }
  if (item.state !== "published") return null;
  const hasDraft = current.items.some((i) => i.code === item.code && i.state === "draft");
  return [
    hasDraft
      ? null
      : h("button.secondary.item-revise", { type: "button", on: { click: () => revise(item) } }, "起草新版本"),
    h("button.secondary.item-retire", { type: "button", on: { click: () => openRetire(item) } }, "停用"),
  ];
}

function renderItems(items) {
  const table = root.querySelector("#catalogue-table");
  const columns = ["事项编码", "事项名称", "法律依据", "层级", "类别", "非现场核查", "适用行业", "版本", "状态", "施行日期", "停用日期", "操作"];
  fill(
    table,
    h("thead", h("tr", columns.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      items.length === 0
        ? h("tr", h("td.empty", { colspan: columns.length }, "还没有检查事项。点“新增事项”或导入 Excel 文件。"))
        : items.map((item) =>
            h(
              "tr",
              { dataset: { id: item.id, code: item.code, state: item.state } },
              h("td.code", item.code),
              h(
                "td.name",
                item.name,
                // 需准备材料: what the notice of joint inspection asks the enterprise to have ready
                item.documents ? h("span.item-documents", `需准备：${item.documents}`) : null,
              ),
              h("td.basis", item.legal_basis),
              h("td", ITEM_LEVELS[item.level] || item.level),
              h("td", ITEM_CATEGORIES[item.category] || item.category),
              h("td", item.offsite ? "是" : "否"),
              h("td", item.industries.length ? item.industries.join("、") : "全部行业"),
              h("td.num", `第 ${item.revision} 版`),
              h("td.state", stateBadge(item)),
              h("td", item.effective_from || null),
              h("td", item.retired_on || null),
              h("td.actions", actions(item)),
            ),
          ),
    ),
  );
  if (items.length) stackOnPhone(table);
  const drafts = items.filter((i) => i.state === "draft").length;
  root.querySelector("#catalogue-count").textContent = `共 ${items.length} 项，其中草稿 ${drafts} 项`;
  root.querySelector("#catalogue-drafts").textContent =
    drafts > 0 ? `有 ${drafts} 项草稿待公布。` : "没有待公布的草稿。";
  root.querySelector("#catalogue-publish").disabled = drafts === 0;
}

function renderEditions(editions) {
  const table = root.querySelector("#catalogue-editions");
  const columns = ["版次", "施行日期", "公布时间", "公布人", "施行事项数"];
  fill(
    table,
    h("thead", h("tr", columns.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      editions.length === 0
        ? h("tr", h("td.empty", { colspan: columns.length }, "尚未公布事项清单：本单位的检查清单暂不受事项清单限制。"))
        : [...editions].reverse().map((e) =>
            h(
              "tr",
              { dataset: { edition: e.edition } },
              h("td", `第 ${e.edition} 版`),
              h("td", e.effective_from),
              h("td", new Date(e.published_at).toLocaleString("zh-CN")),
              h("td", e.published_by),
              h("td.num", String(e.items)),
            ),
          ),
    ),
  );
  if (editions.length) stackOnPhone(table);
}

async function load() {
  const ticket = ++loading;
  const unit = unitId();
  if (!unit) return;
  root.setAttribute("aria-busy", "true");
  try {
    const params = new URLSearchParams({ include_drafts: "true", include_retired: String(showRetired.checked) });
    const listing = await api(`/units/${encodeURIComponent(unit)}/catalogue?${params}`);
    if (ticket !== loading) return;
    current = listing;
    renderItems(listing.items);
    renderEditions(listing.editions);
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) root.removeAttribute("aria-busy");
  }
}

// ---- the draft's form: a new item, or a draft's changes; the server's problems by field
const FIELDS = ["code", "name", "legal_basis", "level", "category", "industries", "documents"];

function field(name, label, control) {
  return h("div.field", { dataset: { field: name } }, h("label", label, control), h("p.field-error", { hidden: true }));
}

function options(labels, chosen) {
  return Object.entries(labels).map(([value, label]) => h("option", { value, selected: value === chosen }, label));
}

function openForm(item) {
  const editing = item !== null;
  const form = h(
    "form#catalogue-form",
    { on: { submit: (event) => saveForm(event, item) } },
    h("h2", editing ? `修改草稿：${item.name}` : `新增事项（${unitName(unitId())}）`),
    h(
      "div.form-grid",
      field("code", "事项编码", h("input", { name: "code", required: true, maxlength: 64, value: editing ? item.code : "", readonly: editing })),
      field("name", "事项名称", h("input", { name: "name", required: true, maxlength: 200, value: editing ? item.name : "" })),
      field("legal_basis", "法律依据", h("input", { name: "legal_basis", required: true, maxlength: 500, value: editing ? item.legal_basis : "" })),
      field("level", "层级", h("select", { name: "level" }, options(ITEM_LEVELS, editing ? item.level : "county"))),
      field("category", "类别", h("select", { name: "category" }, options(ITEM_CATEGORIES, editing ? item.category : "routine"))),
      field(
        "industries",
        "适用行业（用顿号分开，不填为全部行业）",
        h("input", { name: "industries", value: editing ? item.industries.join("、") : "" }),
      ),
      field(
        "documents",
        "需准备材料（用顿号分开，列在联合检查通知书上）",
        h("input", { name: "documents", maxlength: 500, value: editing ? item.documents || "" : "" }),
      ),
    ),
    h(
      "label.inline",
      h("input", { type: "checkbox", name: "offsite", checked: editing && item.offsite }),
      "可书面核查或通过信息共享核查（可非现场核查）",
    ),
    h("p.error#catalogue-form-error", { hidden: true, role: "alert" }),
    h(
      "div.toolbar",
      h("button#catalogue-save", { type: "submit" }, editing ? "保存草稿" : "新增草稿"),
      h("button.secondary", { type: "button", on: { click: closeForm } }, "取消"),
    ),
  );
  formCard.hidden = false;
  fill(formCard, form);
  form.querySelector(editing ? "[name=name]" : "[name=code]").focus();
}

function closeForm() {
  formCard.hidden = true;
  fill(formCard);
}

function formBody(form, editing) {
  const data = new FormData(form);
  const body = {
    name: data.get("name").trim(),
    legal_basis: data.get("legal_basis").trim(),
    level: data.get("level"),
    category: data.get("category"),
    offsite: data.get("offsite") === "on",
    industries: data
      .get("industries")
      .split(/[、，,；;\n]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    documents: data.get("documents").trim(),
  };
  if (!editing) body.code = data.get("code").trim();
  return body;
}

function showFieldProblem(form, error) {
  for (const box of form.querySelectorAll(".field-error")) box.hidden = true;
  const name = (error.problem?.field || "").split(/[.[]/)[0];
  const box = FIELDS.includes(name) ? form.querySelector(`[data-field="${name}"] .field-error`) : null;
  const target = box || form.querySelector("#catalogue-form-error");
  target.textContent = error.message;
  target.hidden = false;
}

async function saveForm(event, item) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector("#catalogue-save");
  button.disabled = true;
  try {
    const body = formBody(form, item !== null);
    if (item === null) {
      await api(`/units/${encodeURIComponent(unitId())}/catalogue/items`, { method: "POST", body });
      toast(`已新增草稿“${body.name}”，公布后才能用于检查清单`, "good");
    } else {
      await api(`/catalogue/items/${item.id}`, { method: "PATCH", body });
      toast(`已保存草稿“${body.name}”`, "good");
    }
    closeForm();
    await load();
  } catch (error) {
    showFieldProblem(form, error);
  } finally {
    button.disabled = false;
  }
}

async function revise(item) {
  try {
    const draft = await api(`/catalogue/items/${item.id}/revise`, { method: "POST", body: {} });
    toast(`已起草“${item.name}”的第 ${draft.revision} 版，修改后公布`, "good");
    await load();
    openForm(draft);
  } catch (error) {
    showError(error);
  }
}

function openRetire(item) {
  const day = h("input#catalogue-retire-date", { type: "date", required: true, value: isoDate(new Date()) });
  const form = h(
    "form#catalogue-retire",
    { on: { submit: (event) => retire(event, item, day) } },
    h("h2", `停用事项：${item.name}（${item.code}）`),
    h("p.hint", "停用后，检查开始日在停用日期当天或之后的检查清单不能再使用此事项；事项保留在记录中，不会删除。"),
    h("div.toolbar", h("label", "停用日期", day), h("button.danger#catalogue-retire-submit", { type: "submit" }, "确认停用"), h("button.secondary", { type: "button", on: { click: closeForm } }, "取消")),
    h("p.error#catalogue-form-error", { hidden: true, role: "alert" }),
  );
  formCard.hidden = false;
  fill(formCard, form);
}

async function retire(event, item, day) {
  event.preventDefault();
  try {
    await api(`/catalogue/items/${item.id}/retire`, { method: "POST", body: { retired_on: day.value } });
    toast(`“${item.name}”自 ${day.value} 起停用`, "good");
    closeForm();
    await load();
  } catch (error) {
    const box = formCard.querySelector("#catalogue-form-error");
    box.textContent = error.message;
    box.hidden = false;
  }
}

// ---- publishing the drafts as the next edition
function publishCard() {
  const day = h("input#catalogue-effective", { type: "date", required: true, value: isoDate(new Date()) });
  return h(
    "section.card#catalogue-publish-card",
    h("h2", "公布事项清单"),
    h("p.hint#catalogue-drafts"),
    h(
      "form.toolbar",
      { on: { submit: (event) => publish(event, day) } },
      h("label", "施行日期", day),
      h("button#catalogue-publish", { type: "submit", disabled: true }, "公布全部草稿"),
    ),
  );
}

async function publish(event, day) {
  event.preventDefault();
  const drafts = current.items.filter((i) => i.state === "draft").length;
  const unit = unitId();
  if (!window.confirm(`将 ${unitName(unit)} 的 ${drafts} 项草稿公布为新版事项清单，自 ${day.value} 起施行？`)) return;
  try {
    const edition = await api(`/units/${encodeURIComponent(unit)}/catalogue/publish`, {
      method: "POST",
      body: { effective_from: day.value },
    });
    toast(`已公布第 ${edition.edition} 版事项清单，自 ${edition.effective_from} 起施行`, "good");
    await load();
  } catch (error) {
    showError(error);
  }
}

// ---- Excel in and out
function fileCard() {
  const file = h("input#catalogue-file", { type: "file", name: "file", accept: ".xlsx,.csv", required: true });
  const exportButton = h(
    "button.secondary#catalogue-export",
    {
      type: "button",
      on: {
        click: async () => {
          const unit = unitId();
          try {
            await download(`/units/${encodeURIComponent(unit)}/catalogue/export.xlsx`, `${unit}检查事项清单.xlsx`);
          } catch (error) {
            showError(error);
          }
        },
      },
    },
    "导出 Excel",
  );
  return h(
    "section.card.import#catalogue-files",
    h("h2", "Excel 导入导出"),
    h(
      "p.hint",
      "列为：事项编码、事项名称、法律依据、层级（国家级/省级/市级/县级）、类别（日常/专项）、可非现场核查（是/否）、适用行业（用顿号分开）、需准备材料（用顿号分开，可不填）。",
      "导出的文件可直接修改后导入。导入只新增或修改草稿，不会公布；文件中任何一处有错，整个文件都不会导入。",
    ),
    h("div.toolbar", exportButton),
    h(
      "form#catalogue-import.toolbar",
      { on: { submit: sendImport } },
      h("label", "选择文件（.xlsx 或 .csv）", file),
      h("button#catalogue-import-submit", { type: "submit" }, "导入为草稿"),
    ),
    h("div#catalogue-import-errors", { hidden: true, role: "alert" }),
  );
}

async function sendImport(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const input = form.querySelector("#catalogue-file");
  const box = root.querySelector("#catalogue-import-errors");
  if (!input.files.length) return;
  const body = new FormData();
  body.append("file", input.files[0]);
  try {
    const done = await api(`/units/${encodeURIComponent(unitId())}/catalogue/import`, { method: "POST", form: body });
    box.hidden = true;
    form.reset();
    toast(`导入完成：新增草稿 ${done.added} 项，修改或起草新版本 ${done.updated} 项，未变 ${done.unchanged} 项`, "good");
    await load();
  } catch (error) {
    const rows = Array.isArray(error.problem?.errors) ? error.problem.errors : [];
    box.hidden = false;
    fill(
      box,
      h("p.error", rows.length ? `导入失败：文件中共有 ${rows.length} 处错误，没有保存任何事项。` : `导入失败：${error.message}`),
      rows.length
        ? h(
            "div.table-wrap",
            h(
              "table#catalogue-import-error-table",
              h("thead", h("tr", h("th", "行号"), h("th", "列"), h("th", "问题"))),
              h(
                "tbody",
                rows.map((e) => h("tr", { dataset: { row: e.row, column: e.column } }, h("td", String(e.row)), h("td", e.column), h("td", e.problem))),
              ),
            ),
          )
        : null,
    );
  }
}
