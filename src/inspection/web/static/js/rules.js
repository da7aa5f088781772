// The rules view (规则): the district's rule settings, the quiet-day rules with the next quiet
// days, and the enterprises' classes. Coordinators edit; auditors read.
import { api, query } from "./api.js";
import { addDays, fill, h, isoDate, showError, stackOnPhone, toast } from "./dom.js";
import { INSPECTION_TYPES, OUTCOME_BACKFILL_DAYS } from "./labels.js";
import { isRole } from "./state.js";
import * as classes from "./enterprise_classes.js";
import {
  categoryBoxes,
  checked,
  clearProblems,
  field,
  monthDaysText,
  parseMonthDays,
  showProblems,
} from "./rules_forms.js";

const view = { settings: null, quiet: null, classes: null };
const UPCOMING_DAYS = 60;

function typeNames(codes) {
  return codes.length ? codes.map((c) => INSPECTION_TYPES[c] || c).join("、") : "无";
}

export function init(section) {
  view.settings = h("section#rules-settings.card");
  view.quiet = h("section#rules-quiet.card");
  view.classes = h("section#rules-classes.card");
  fill(
    section,
    h("p.hint", isRole("coordinator") ? "规则设置用于排期：保存后，下一次排期即按新规则执行。" : "规则设置只读；由协调人维护。"),
    view.settings,
    view.quiet,
    view.classes,
  );
  classes.init(view.classes);
}

export function show() {
  loadSettings().catch(showError);
  loadQuietDays().catch(showError);
  classes.show();
}

// ---- settings -------------------------------------------------------------------------------

async function loadSettings() {
  const settings = await api("/rules/settings");
  const editable = isRole("coordinator");
  const number = (id, value) =>
    h(`input#${id}`, { type: "number", min: 1, max: 50, step: 1, value, required: true, disabled: !editable });
  const form = h(
    "form#rules-settings-form",
    { on: { submit: (event) => saveSettings(event) } },
    categoryBoxes("rules-cap-exempt", "不计入年度检查次数上限的检查类型", "cap_exempt_categories", settings.cap_exempt_categories, !editable),
    categoryBoxes(
      "rules-nd-exempt",
      "可以检查“无事不扰”企业的检查类型",
      "no_disturb_exempt_categories",
      settings.no_disturb_exempt_categories,
      !editable,
    ),
    h(
      "div.toolbar",
      field("每个单位每轮派出执法人员（人）", number("rules-officers", settings.officers_per_unit), "officers_per_unit"),
      field("每名执法人员每天最多参加（轮）", number("rules-daily", settings.officer_daily_rounds), "officer_daily_rounds"),
      field(
        "检查结果补录期限（检查日后天数）",
        h("input#rules-backfill", {
          type: "number",
          min: OUTCOME_BACKFILL_DAYS.min,
          max: OUTCOME_BACKFILL_DAYS.max,
          step: 1,
          value: settings.outcome_backfill_days,
          required: true,
          disabled: !editable,
        }),
        "outcome_backfill_days",
      ),
      editable && h("button#rules-settings-save", { type: "submit" }, "保存设置"),
    ),
    h("p.field-error", { dataset: { errorFor: "form" }, hidden: true, role: "alert" }),
    h("p.hint#rules-settings-updated", settings.updated_at ? `最近修改：${settings.updated_at.slice(0, 16).replace("T", " ")}` : "尚未修改过（使用默认设置）"),
  );
  fill(view.settings, h("h2", "规则设置"), form);
}

async function saveSettings(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    cap_exempt_categories: checked(form, "cap_exempt_categories"),
    no_disturb_exempt_categories: checked(form, "no_disturb_exempt_categories"),
    officers_per_unit: Number(form.querySelector("#rules-officers").value),
    officer_daily_rounds: Number(form.querySelector("#rules-daily").value),
    outcome_backfill_days: Number(form.querySelector("#rules-backfill").value),
  };
  try {
    await api("/rules/settings", { method: "PUT", body });
    toast("规则设置已保存", "good");
    await loadSettings();
  } catch (error) {
    showProblems(form, error);
  }
}

// ---- quiet days -----------------------------------------------------------------------------

function validity(rule) {
  if (!rule.valid_from && !rule.valid_to) return "长期";
  return `${rule.valid_from || "…"} 至 ${rule.valid_to || "…"}`;
}

function ruleRow(rule, editable) {
  const toggle = async () => {
    try {
      await api(`/rules/quiet-days/${rule.id}`, { method: "PATCH", body: { active: !rule.active } });
      toast(rule.active ? `已停用“${rule.name}”` : `已启用“${rule.name}”`, "good");
      await loadQuietDays();
    } catch (error) {
      showError(error);
    }
  };
  return h(
    "tr.rules-quiet-rule",
    { dataset: { ruleId: rule.id, active: rule.active } },
    h("td", rule.name),
    h("td", rule.month_days.length ? `每月 ${monthDaysText(rule.month_days)} 日` : "—"),
    h("td", rule.dates.length ? rule.dates.join("、") : "—"),
    h("td", typeNames(rule.exempt_categories)),
    h("td", validity(rule)),
    h("td", h(`span.badge${rule.active ? ".good" : ""}`, rule.active ? "生效" : "已停用")),
    editable &&
      h(
        "td.rules-actions",
        h("button.secondary.rules-edit", { type: "button", on: { click: () => editRule(rule) } }, "编辑"),
        " ",
        h(`button.secondary.rules-toggle`, { type: "button", on: { click: toggle } }, rule.active ? "停用" : "启用"),
      ),
  );
}

async function loadQuietDays() {
  const today = isoDate(new Date());
  const [rules, upcoming] = await Promise.all([
    api("/rules/quiet-days"),
    api(`/rules/quiet-days/calendar${query({ from: today, to: addDays(today, UPCOMING_DAYS - 1) })}`),
  ]);
  const editable = isRole("coordinator");
  const heads = ["名称", "每月日期", "具体日期", "例外类型", "有效期", "状态", editable && "操作"].filter(Boolean);
  const table = rules.length
    ? h(
        "div.table-wrap",
        stackOnPhone(
          h(
            "table#rules-quiet-table",
            h("thead", h("tr", heads.map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", rules.map((rule) => ruleRow(rule, editable))),
          ),
        ),
      )
    : h("p.empty", "尚未设定宁静日规则。");
  fill(
    view.quiet,
    h("h2", "宁静日"),
    h("p.hint", "宁静日内不安排现场检查，例外的检查类型除外。停用的规则保留在列表中，不再生效。"),
    table,
    h("h3", `接下来 ${UPCOMING_DAYS} 天内的宁静日`),
    upcomingList(upcoming),
    editable && h("div#rules-quiet-editor", ruleForm(null)),
  );
}

/** "12月1日–7日" for a run of days; runs of one rule joined with "、". */
function runsText(days) {
  const label = (day) => `${Number(day.slice(5, 7))}月${Number(day.slice(8))}日`;
  const runs = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last && addDays(last.end, 1) === day) last.end = day;
    else runs.push({ start: day, end: day });
  }
  return runs
    .map(({ start, end }) =>
      start === end ? label(start) : `${label(start)}–${start.slice(0, 7) === end.slice(0, 7) ? `${Number(end.slice(8))}日` : label(end)}`,
    )
    .join("、");
}

function upcomingList(upcoming) {
  if (upcoming.length === 0) return h("p.empty#rules-upcoming", "没有。");
  const byRule = new Map();
  for (const q of upcoming) {
    const entry = byRule.get(q.rule_id) || { name: q.rule_name, days: [] };
    entry.days.push(q.day);
    byRule.set(q.rule_id, entry);
  }
  return h(
    "ul#rules-upcoming.rules-upcoming",
    [...byRule].map(([id, { name, days }]) =>
      h("li", { dataset: { ruleId: id, days: days.length } }, h("strong", name), `：${runsText(days)}`, h("span.hint", `（${days.length} 天）`)),
    ),
  );
}

function editRule(rule) {
  const box = view.quiet.querySelector("#rules-quiet-editor");
  fill(box, ruleForm(rule));
  box.querySelector("input").focus();
}

function ruleForm(rule) {
  const r = rule || { name: "", month_days: [], dates: [], exempt_categories: [], valid_from: null, valid_to: null };
  const text = (id, value, extra = {}) => h(`input#${id}`, { type: "text", value, ...extra });
  const day = (id, value) => h(`input#${id}`, { type: "date", value: value || "" });
  const form = h(
    "form#rules-quiet-form",
    { dataset: { ruleId: rule ? rule.id : "" }, on: { submit: (event) => saveRule(event, rule) } },
    h("h3", rule ? `编辑宁静日规则“${rule.name}”` : "新增宁静日规则"),
    h(
      "div.toolbar",
      field("名称", text("rq-name", r.name, { required: true, maxlength: 200 }), "name"),
      field("每月日期（如 1-10 或 1,15）", text("rq-month-days", r.month_days.join(","), { inputmode: "numeric" }), "month_days"),
      field("具体日期（如 2024-05-01，多个用逗号分开）", text("rq-dates", r.dates.join(",")), "dates"),
    ),
    categoryBoxes("rq-exempt", "例外：宁静日仍可检查的类型", "exempt_categories", r.exempt_categories, false),
    h(
      "div.toolbar",
      field("有效期自（可不填）", day("rq-from", r.valid_from), "valid_from"),
      field("有效期至（可不填）", day("rq-to", r.valid_to), "valid_to"),
      h("button#rq-save", { type: "submit" }, rule ? "保存修改" : "新增规则"),
      rule && h("button.secondary#rq-cancel", { type: "button", on: { click: () => loadQuietDays().catch(showError) } }, "取消"),
    ),
    h("p.field-error", { dataset: { errorFor: "form" }, hidden: true, role: "alert" }),
  );
  return form;
}

async function saveRule(event, rule) {
  event.preventDefault();
  const form = event.currentTarget;
  clearProblems(form);
  const monthDays = parseMonthDays(form.querySelector("#rq-month-days").value);
  if (monthDays.bad !== null) {
    showProblems(form, { message: `“${monthDays.bad}”不是日期或日期范围（应为 1–31）`, problem: { field: "month_days" } });
    return;
  }
  const body = {
    name: form.querySelector("#rq-name").value,
    month_days: monthDays.days,
    dates: form.querySelector("#rq-dates").value.split(/[\s,，、;；]+/).filter(Boolean),
    exempt_categories: checked(form, "exempt_categories"),
    valid_from: form.querySelector("#rq-from").value || null,
    valid_to: form.querySelector("#rq-to").value || null,
  };
  try {
    if (rule) await api(`/rules/quiet-days/${rule.id}`, { method: "PATCH", body });
    else await api("/rules/quiet-days", { method: "POST", body });
    toast(rule ? `已保存“${body.name}”` : `已新增“${body.name}”`, "good");
    await loadQuietDays();
  } catch (error) {
    showProblems(form, error);
  }
}
