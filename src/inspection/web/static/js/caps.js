// The caps view (频次上限): the yearly cap rules (coordinators add, change and deactivate them;
// units and auditors read them) and, per enterprise, what each cap has used and left this year.
import { api, query } from "./api.js";
import { fill, h, showError, stackOnPhone, toast } from "./dom.js";
import { CAP_SCOPE } from "./labels.js";
import { isRole, state, unitName } from "./state.js";

const view = { rules: null, standings: null, form: null, filters: null, editing: null, ticket: 0 };

function whose(rule) {
  return rule.unit_id ? unitName(rule.unit_id) : "各单位合计（企业合计上限）";
}

function matches(rule) {
  const parts = [rule.industry || "全部行业", rule.risk_class ? `${rule.risk_class} 类` : "全部风险等级"];
  return parts.join(" · ");
}

function rulesTable(rules) {
  if (rules.length === 0) {
    return h("p.empty#caps-rules-empty", "尚未设置频次上限规则：排期不限制每年的检查次数。");
  }
  const manage = isRole("coordinator");
  const headings = ["适用单位", "适用企业", "每年上限", "依据", "状态", ...(manage ? ["操作"] : [])];
  const rows = rules.map((rule) =>
    h(
      `tr${rule.active ? "" : ".inactive"}`,
      { dataset: { rule: rule.id, active: String(rule.active) } },
      h("td", whose(rule)),
      h("td", matches(rule)),
      h("td", `${rule.yearly_limit} 次`),
      h("td", rule.basis || "—"),
      h("td", rule.active ? h("span.badge.good", "有效") : h("span.badge", "已停用")),
      manage
        ? h(
            "td.caps-actions",
            h("button.secondary", { type: "button", dataset: { edit: rule.id }, on: { click: () => edit(rule) } }, "修改"),
            h(
              `button${rule.active ? ".danger" : ".secondary"}`,
              { type: "button", dataset: { toggle: rule.id }, on: { click: () => toggle(rule) } },
              rule.active ? "停用" : "重新启用",
            ),
          )
        : null,
    ),
  );
  const table = h(
    "table#caps-rules",
    h("thead", h("tr", headings.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", rows),
  );
  return h("div.table-wrap", stackOnPhone(table));
}

function field(label, control) {
  return h("label.field", label, control);
}

function ruleForm() {
  const unit = h(
    "select#cap-unit",
    { name: "unit_id" },
    h("option", { value: "" }, "各单位合计（企业合计上限）"),
    state.units.map((u) => h("option", { value: u.id }, u.name)),
  );
  const form = h(
    "form#cap-form.card",
    { on: { submit: save } },
    h("h3#cap-form-title", "新增频次上限规则"),
    h(
      "div.toolbar",
      field("适用单位", unit),
      field("行业（留空为全部行业）", h("input#cap-industry", { name: "industry", maxlength: 100 })),
      field("风险等级（留空为全部）", h("input#cap-risk", { name: "risk_class", maxlength: 16, placeholder: "A/B/C/D" })),
      field("每年上限（次）", h("input#cap-limit", { name: "yearly_limit", type: "number", min: 0, max: 365, required: true })),
    ),
    h(
      "div.toolbar",
      h(
        "label.field.caps-basis",
        "依据（发布的规则）",
        h("input#cap-basis", { name: "basis", maxlength: 500, placeholder: "例如：某省市场监管局涉企检查频次上限" }),
      ),
    ),
    h("p.error#cap-form-error", { role: "alert" }),
    h(
      "div.toolbar",
      h("button#cap-save", { type: "submit" }, "保存规则"),
      h("button.secondary#cap-cancel", { type: "button", on: { click: reset } }, "取消修改"),
    ),
  );
  form.querySelector("#cap-cancel").hidden = true;
  return form;
}

function reset() {
  view.editing = null;
  view.form.reset();
  view.form.querySelector("#cap-unit").disabled = false;
  view.form.querySelector("#cap-form-title").textContent = "新增频次上限规则";
  view.form.querySelector("#cap-cancel").hidden = true;
  view.form.querySelector("#cap-form-error").textContent = "";
}

function edit(rule) {
  view.editing = rule;
  const form = view.form;
  form.querySelector("#cap-unit").value = rule.unit_id || "";
  form.querySelector("#cap-unit").disabled = true; // another unit is another rule
  form.querySelector("#cap-industry").value = rule.industry;
  form.querySelector("#cap-risk").value = rule.risk_class;
  form.querySelector("#cap-limit").value = String(rule.yearly_limit);
  form.querySelector("#cap-basis").value = rule.basis;
  form.querySelector("#cap-form-title").textContent = `修改规则：${whose(rule)} · ${matches(rule)}`;
  form.querySelector("#cap-cancel").hidden = false;
  form.scrollIntoView({ block: "nearest" });
}

async function save(event) {
  event.preventDefault();
  const form = view.form;
  const error = form.querySelector("#cap-form-error");
  error.textContent = "";
  const body = {
    industry: form.querySelector("#cap-industry").value.trim(),
    risk_class: form.querySelector("#cap-risk").value.trim(),
    yearly_limit: Number(form.querySelector("#cap-limit").value),
    basis: form.querySelector("#cap-basis").value.trim(),
  };
  try {
    if (view.editing) {
      await api(`/rules/caps/${view.editing.id}`, { method: "PATCH", body });
      toast("已保存频次上限规则的修改", "good");
    } else {
      body.unit_id = form.querySelector("#cap-unit").value || null;
      await api("/rules/caps", { method: "POST", body });
      toast("已新增频次上限规则", "good");
    }
    reset();
    await reload();
  } catch (failure) {
    const where = failure.problem && failure.problem.field ? `（${failure.problem.field}）` : "";
    error.textContent = `保存没有成功：${failure.message}${where}`;
  }
}

async function toggle(rule) {
  try {
    await api(`/rules/caps/${rule.id}`, { method: "PATCH", body: { active: !rule.active } });
    toast(rule.active ? "已停用该规则（本年已有的计数仍保留）" : "已重新启用该规则", "good");
    await reload();
  } catch (failure) {
    showError(failure);
  }
}

function filters() {
  // the year of the week the desk is on (this week's, unless the address or the data chose another)
  const shown = state.weekStart ? Number(state.weekStart.slice(0, 4)) : new Date().getFullYear();
  const year = h("input#caps-year", { type: "number", min: 2000, max: 2100, value: shown });
  const unit = h(
    "select#caps-unit",
    h("option", { value: "" }, "全部单位"),
    state.units.map((u) => h("option", { value: u.id }, u.name)),
  );
  if (isRole("unit")) {
    unit.value = state.me.unit_id;
    unit.disabled = true; // a unit key reads its own unit's caps (and the enterprise-wide)
  }
  const town = h("input#caps-town", { maxlength: 100, placeholder: "全部镇街" });
  const name = h("input#caps-name", { maxlength: 100, placeholder: "企业名称的一部分" });
  const usedUp = h("input#caps-used-up", { type: "checkbox" });
  for (const control of [year, unit, town, name, usedUp]) control.addEventListener("change", loadStandings);
  return h(
    "div.toolbar",
    field("年度", year),
    field("执法单位", unit),
    field("镇街", town),
    field("企业名称", name),
    h("label.caps-check", usedUp, " 只看已用完的"),
  );
}

// a district has some thousands of enterprises: past this many lines the filters narrow it
const MAX_ROWS = 300;

function standingsTable(enterprises, onlyUsedUp) {
  const rows = [];
  let hidden = 0;
  for (const e of enterprises) {
    for (const cap of e.caps) {
      if (onlyUsedUp && cap.left > 0) continue;
      if (rows.length >= MAX_ROWS) {
        hidden += 1;
        continue;
      }
      const usedUp = cap.left === 0;
      rows.push(
        h(
          `tr${usedUp ? ".used-up" : ""}`,
          { dataset: { code: e.credit_code, scope: cap.scope, unit: cap.unit_id || "", left: cap.left } },
          h("td", e.name, h("div.hint", e.credit_code)),
          h("td", e.town),
          h("td", cap.scope === "unit" ? unitName(cap.unit_id) : CAP_SCOPE.enterprise),
          h("td", `${cap.yearly_limit} 次`, h("div.hint", cap.rule)),
          h("td", `${cap.used} 次`),
          h("td", usedUp ? h("span.badge.bad", "已用完") : cap.left === 1 ? h("span.badge.warn", "剩 1 次") : `${cap.left} 次`),
        ),
      );
    }
  }
  if (rows.length === 0) return h("p.empty#caps-standings-empty", "没有符合条件的企业：没有适用的频次上限，或筛选条件排除了全部企业。");
  const table = h(
    "table#caps-standings",
    h("thead", h("tr", ["企业", "镇街", "适用单位", "每年上限", "已安排", "剩余"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", rows),
  );
  const more = hidden ? h("p.note#caps-standings-more", `另有 ${hidden} 行未显示：请按单位、镇街或企业名称筛选。`) : null;
  return [h("div.table-wrap", stackOnPhone(table)), more];
}

async function loadStandings() {
  const mine = ++view.ticket;
  const box = view.standings;
  box.dataset.status = "loading";
  const get = (id) => view.filters.querySelector(id);
  const params = {
    year: get("#caps-year").value,
    unit: isRole("unit") ? "" : get("#caps-unit").value,
    town: get("#caps-town").value.trim(),
    q: get("#caps-name").value.trim(),
  };
  try {
    const found = await api(`/caps${query(params)}`);
    if (mine !== view.ticket) return;
    fill(box, standingsTable(found, get("#caps-used-up").checked));
    box.dataset.status = "ready";
  } catch (failure) {
    if (mine !== view.ticket) return;
    fill(box, h("p.error", { role: "alert" }, `无法加载企业检查次数：${failure.message}`));
    box.dataset.status = "error";
  }
}

async function reload() {
  view.rules.dataset.status = "loading";
  try {
    fill(view.rules, rulesTable(await api("/rules/caps")));
    view.rules.dataset.status = "ready";
  } catch (failure) {
    fill(view.rules, h("p.error", { role: "alert" }, `无法加载频次上限规则：${failure.message}`));
    view.rules.dataset.status = "error";
  }
  await loadStandings();
}

export function init(section) {
  view.rules = h("div#caps-rules-body", { dataset: { status: "loading" } }, h("p.hint", "正在加载规则…"));
  view.standings = h("div#caps-standings-body", { dataset: { status: "loading" } });
  view.filters = filters();
  view.form = isRole("coordinator") ? ruleForm() : null;
  fill(
    section,
    h(
      "div.card",
      h("h2", "频次上限规则"),
      h(
        "p.hint",
        "每条规则限定一个执法单位（或各单位合计）每年对某类企业的检查次数；同一企业适用多条规则时，" +
          "行业和风险等级写得最具体的一条为准。规则只能停用，不能删除：本年已有的计数依据它作出。",
      ),
      view.rules,
    ),
    view.form,
    h(
      "div.card",
      h("h2", "企业检查次数"),
      h("p.hint", "按已发布的检查计数；联合检查对企业合计上限只计一次，投诉等案件类检查不计。"),
      view.filters,
      view.standings,
    ),
  );
}

export function show() {
  reload();
}
