// The rules view's 企业分级 part: enterprises with their risk and credit classes and the
// no-disturb flag (filtered), one edited at a time, and the classes imported from a file.
import { api, query } from "./api.js";
import { fill, h, showError, stackOnPhone, toast } from "./dom.js";
import { RISK_CLASSES } from "./labels.js";
import { isRole } from "./state.js";
import { clearProblems, field, showProblems } from "./rules_forms.js";

const view = { card: null, list: null, editor: null, shown: 0, filters: { q: "", no_disturb: "", risk_class: "" } };
const PAGE = 50;

export function init(card) {
  view.card = card;
  view.list = h("div#classes-list");
  view.editor = h("div#classes-editor");
  const editable = isRole("coordinator", "admin");
  const q = h("input#classes-q", { type: "search", placeholder: "企业名称的一部分" });
  const flag = h(
    "select#classes-no-disturb",
    h("option", { value: "" }, "全部"),
    h("option", { value: "true" }, "在“无事不扰”名单中"),
    h("option", { value: "false" }, "不在名单中"),
  );
  const grade = h("input#classes-risk", { type: "text", list: "classes-grades", maxlength: 16, placeholder: "如 A" });
  const filter = (event) => {
    event.preventDefault();
    Object.assign(view.filters, { q: q.value.trim(), no_disturb: flag.value, risk_class: grade.value.trim().toUpperCase() });
    view.shown = 0;
    show();
  };
  fill(
    card,
    h("h2", "企业分级"),
    h("p.hint", "风险等级、信用等级和“无事不扰”名单，各自注明来源（发布机关或依据）和日期。排期时，名单内的企业只接受例外类型的检查。"),
    h("datalist#classes-grades", Object.entries(RISK_CLASSES).map(([code, label]) => h("option", { value: code }, label))),
    h(
      "form#classes-filter.toolbar",
      { on: { submit: filter } },
      h("label", "企业", q),
      h("label", "无事不扰", flag),
      h("label", "风险等级", grade),
      h("button.secondary#classes-filter-go", { type: "submit" }, "筛选"),
    ),
    view.list,
    editable && view.editor,
    editable && importForm(),
  );
}

export function show() {
  loadList().catch(showError);
}

function classText(grade, source, asOf) {
  if (!grade) return h("span.empty", "未定级");
  return [h("strong", RISK_CLASSES[grade] || grade), h("span.hint.classes-source", ` ${source}（${asOf}）`)];
}

async function loadList() {
  const f = view.filters;
  // one more than shown: whether a further page exists
  const limit = Math.max(view.shown, PAGE);
  const found = await api(
    `/enterprises${query({ q: f.q, no_disturb: f.no_disturb, risk_class: f.risk_class, limit: limit + 1 })}`,
  );
  const enterprises = found.slice(0, limit);
  view.shown = enterprises.length;
  const more = () => {
    view.shown += PAGE;
    loadList().catch(showError);
  };
  const editable = isRole("coordinator", "admin");
  const heads = ["企业", "镇街", "风险等级", "信用等级", "无事不扰", editable && "操作"].filter(Boolean);
  fill(
    view.list,
    enterprises.length
      ? h(
          "div.table-wrap",
          stackOnPhone(
            h(
              "table#classes-table",
              h("thead", h("tr", heads.map((t) => h("th", { scope: "col" }, t)))),
              h(
                "tbody",
                enterprises.map((e) =>
                  h(
                    "tr.classes-row",
                    { dataset: { code: e.credit_code, noDisturb: e.no_disturb } },
                    h("td", e.name, h("div.hint", e.credit_code)),
                    h("td", e.town),
                    h("td.classes-risk", classText(e.risk_class, e.risk_source, e.risk_as_of)),
                    h("td.classes-credit", classText(e.credit_class, e.credit_source, e.credit_as_of)),
                    h(
                      "td.classes-nd",
                      e.no_disturb
                        ? [h("span.badge.warn", "无事不扰"), h("span.hint", ` ${e.no_disturb_source}（${e.no_disturb_since}起）`)]
                        : "—",
                    ),
                    editable &&
                      h("td", h("button.secondary.classes-edit", { type: "button", on: { click: () => edit(e) } }, "编辑")),
                  ),
                ),
              ),
            ),
          ),
        )
      : h("p.empty", "没有符合条件的企业。"),
    found.length > limit &&
      h(
        "p.hint",
        `已显示 ${enterprises.length} 家。`,
        h("button.secondary#classes-more", { type: "button", on: { click: more } }, `再显示 ${PAGE} 家`),
      ),
  );
}

function edit(e) {
  const text = (id, value, extra = {}) => h(`input#${id}`, { type: "text", value: value || "", ...extra });
  const day = (id, value) => h(`input#${id}`, { type: "date", value: value || "" });
  const flag = h("input#ce-nd", { type: "checkbox", checked: e.no_disturb });
  const form = h(
    "form#classes-form.card",
    { dataset: { code: e.credit_code }, on: { submit: (event) => save(event, e) } },
    h("h3", `修改“${e.name}”的分级`),
    h(
      "div.toolbar",
      field("风险等级（清空即取消）", text("ce-risk", e.risk_class, { list: "classes-grades", maxlength: 16 }), "risk_class"),
      field("来源（发布机关或依据）", text("ce-risk-source", e.risk_source, { maxlength: 200 }), "risk_source"),
      field("日期", day("ce-risk-date", e.risk_as_of), "risk_as_of"),
    ),
    h(
      "div.toolbar",
      field("信用等级（清空即取消）", text("ce-credit", e.credit_class, { list: "classes-grades", maxlength: 16 }), "credit_class"),
      field("来源", text("ce-credit-source", e.credit_source, { maxlength: 200 }), "credit_source"),
      field("日期", day("ce-credit-date", e.credit_as_of), "credit_as_of"),
    ),
    h(
      "div.toolbar",
      h("label.check", flag, "列入“无事不扰”名单"),
      field("来源", text("ce-nd-source", e.no_disturb_source, { maxlength: 200 }), "no_disturb_source"),
      field("纳入日期", day("ce-nd-date", e.no_disturb_since), "no_disturb_since"),
    ),
    h(
      "div.toolbar",
      h("button#ce-save", { type: "submit" }, "保存"),
      h("button.secondary#ce-cancel", { type: "button", on: { click: () => fill(view.editor) } }, "取消"),
    ),
    h("p.field-error", { dataset: { errorFor: "form" }, hidden: true, role: "alert" }),
  );
  fill(view.editor, form);
  form.scrollIntoView({ block: "nearest" });
}

async function save(event, e) {
  event.preventDefault();
  const form = event.currentTarget;
  clearProblems(form);
  const value = (id) => form.querySelector(`#${id}`).value.trim();
  const grade = (id, source, asOf) =>
    value(id) ? { [id === "ce-risk" ? "risk_class" : "credit_class"]: value(id), ...source, ...asOf } : null;
  const body = {
    ...(grade("ce-risk", { risk_source: value("ce-risk-source") }, { risk_as_of: value("ce-risk-date") || null }) || {
      risk_class: null,
    }),
    ...(grade("ce-credit", { credit_source: value("ce-credit-source") }, { credit_as_of: value("ce-credit-date") || null }) || {
      credit_class: null,
    }),
    no_disturb: form.querySelector("#ce-nd").checked,
  };
  if (body.no_disturb) {
    body.no_disturb_source = value("ce-nd-source");
    body.no_disturb_since = value("ce-nd-date") || null;
  }
  try {
    await api(`/enterprises/${e.credit_code}/classes`, { method: "PATCH", body });
    toast(`已保存“${e.name}”的分级`, "good");
    fill(view.editor);
    await loadList();
  } catch (error) {
    showProblems(form, error);
  }
}

function importForm() {
  const file = h("input#classes-file", { type: "file", name: "file", accept: ".xlsx,.csv", required: true });
  const result = h("p#classes-import-result.hint", { hidden: true, role: "status" });
  const errors = h("div#classes-import-errors", { hidden: true, role: "alert" });
  const submit = async (event) => {
    event.preventDefault();
    const body = new FormData();
    body.append("file", file.files[0]);
    result.hidden = true;
    try {
      const summary = await api("/enterprises/classes/import", { method: "POST", form: body });
      errors.hidden = true;
      result.textContent = `导入完成：更新了 ${summary.updated} 家企业的分级。`;
      result.hidden = false;
      event.target.reset();
      await loadList();
    } catch (error) {
      errors.hidden = false;
      const rows = Array.isArray(error.problem?.errors) && error.problem.errors[0]?.row !== undefined ? error.problem.errors : [];
      fill(
        errors,
        h("p.error", rows.length ? `导入失败：文件中共有 ${rows.length} 处错误，未导入任何数据。` : `导入失败：${error.message}`),
        rows.length > 0 &&
          h(
            "div.table-wrap",
            h(
              "table#classes-import-error-table",
              h("thead", h("tr", ["行号", "列", "问题"].map((t) => h("th", { scope: "col" }, t)))),
              h("tbody", rows.map((r) => h("tr", { dataset: { row: r.row } }, h("td", String(r.row)), h("td", r.column), h("td", r.problem)))),
            ),
          ),
      );
    }
  };
  return h(
    "section.rules-import",
    h("h3", "从 Excel 导入分级"),
    h(
      "p.hint",
      "列：统一社会信用代码、风险等级、风险等级来源、风险等级日期、信用等级、信用等级来源、信用等级日期、无事不扰（是/否）、无事不扰来源、纳入日期。",
      "空白的格不改变该项；任何一行有错，整个文件都不会导入。",
    ),
    h("form#classes-import.toolbar", { on: { submit } }, h("label", "选择文件（.xlsx 或 .csv）", file), h("button#classes-import-go", { type: "submit" }, "导入")),
    result,
    errors,
  );
}
