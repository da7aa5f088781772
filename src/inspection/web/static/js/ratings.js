// The 企业评价 view: the enterprises' ratings of their visits. Coordinators and auditors read
// every rating (complaints first) and the aggregate per unit; a unit key reads only its own
// unit's aggregate, and only over enough ratings (GET /ratings/summary withholds the rest).
import { api, query } from "./api.js";
import { fill, h, showError, stackOnPhone } from "./dom.js";
import { RATING_SCORES, RATINGS_FOR_UNITS } from "./labels.js";
import { isRole, state } from "./state.js";

const view = { root: null, controls: null, ticket: 0 };

function yearOptions() {
  const latest = state.me.latest_published_day;
  const shown = latest ? Number(latest.slice(0, 4)) : new Date().getFullYear();
  const now = new Date().getFullYear();
  const years = [];
  for (let y = Math.max(shown, now); y >= Math.min(shown, now) - 4; y -= 1) years.push(y);
  return years.map((y) => h("option", { value: y, selected: y === shown }, `${y}年`));
}

function control(id, label, element) {
  element.id = id;
  element.addEventListener("change", load);
  return h("label", label, element);
}

function mean(aggregate) {
  return aggregate.mean_score === null ? "—" : aggregate.mean_score.toFixed(2);
}

function distribution(aggregate) {
  if (!aggregate.distribution) return "—";
  return h(
    "span.score-spread",
    aggregate.distribution.map((count, index) =>
      h("span", { title: `${index + 1} 星（${RATING_SCORES[index + 1]}）：${count} 条` }, `${index + 1}★ ${count}`),
    ),
  );
}

function summaryTable(summary) {
  const lines = [...summary.units];
  if (summary.district) lines.push(summary.district);
  if (lines.length === 0) return h("p.empty#ratings-summary-empty", "这一年还没有企业评价。");
  const table = h(
    "table#ratings-summary-table",
    h("thead", h("tr", ["执法单位", "评价条数", "平均分", "各星级条数", "投诉"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      lines.map((a) =>
        h(
          a.unit_id === null ? "tr.district" : "tr",
          { dataset: { unit: a.unit_id || "", withheld: String(a.withheld) } },
          h("td", a.unit_id === null ? h("strong", a.unit_name) : a.unit_name),
          // withheld: the count's 不足5条 and nothing else, not even an empty mean
          a.withheld
            ? h("td.count", { colspan: 4 }, a.count_text)
            : [
                h("td.num.count", a.count_text),
                h("td.num.mean", mean(a)),
                h("td", distribution(a)),
                h("td.num", a.complaints === null ? "—" : String(a.complaints)),
              ],
        ),
      ),
    ),
  );
  return h("div.table-wrap", stackOnPhone(table));
}

function stars(score) {
  return h("span.stars", { title: RATING_SCORES[score] }, "★".repeat(score) + "☆".repeat(5 - score), ` ${RATING_SCORES[score]}`);
}

function ratingsTable(rows) {
  if (rows.length === 0) return h("p.empty#ratings-list-empty", "所选范围内没有企业评价。");
  const table = h(
    "table#ratings-table",
    h("thead", h("tr", ["检查日期", "企业", "参与单位", "评分", "评价意见", "投诉"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      rows.map((r) =>
        h(
          r.has_complaint ? "tr.has-complaint" : "tr",
          { dataset: { code: r.code, score: String(r.score) } },
          h("td", r.date),
          h("td", h("strong", r.enterprise_name), h("span.hint", ` ${r.town}`)),
          h("td", r.unit_names.join("、")),
          h("td", stars(r.score)),
          h("td", r.comment || "—"),
          h("td.complaint", r.has_complaint ? [h("span.flag", "投诉"), ` ${r.complaint}`] : "—"),
        ),
      ),
    ),
  );
  return h("div.table-wrap", stackOnPhone(table));
}

function unitRule() {
  return `评价匿名提交给督察部门。执法单位只能看到本单位的汇总，且满${RATINGS_FOR_UNITS.min}条才显示（不足时显示“${RATINGS_FOR_UNITS.too_few}”），按评价先后每满${RATINGS_FOR_UNITS.min}条更新一次，看不到单条评价。`;
}

/** Build the view once; the ratings come with show(). */
export function init(section) {
  view.root = section;
  const supervisor = isRole("coordinator", "auditor");
  const year = control("ratings-year", "年份", h("select", yearOptions()));
  const filters = [year];
  if (supervisor) {
    const unit = h("select", h("option", { value: "" }, "全部单位"), state.units.map((u) => h("option", { value: u.id }, u.name)));
    const town = h("select", h("option", { value: "" }, "全部镇街"));
    const complaints = h("input", { type: "checkbox" });
    filters.push(control("ratings-unit", "执法单位", unit), control("ratings-town", "镇街", town));
    const only = control("ratings-complaints", "只看投诉", complaints);
    only.classList.add("ratings-check");
    filters.push(only);
    view.controls = { year: year.lastChild, unit, town, complaints };
  } else {
    view.controls = { year: year.lastChild };
  }
  fill(
    section,
    h("div.card", h("h2", "企业评价"), h("div.toolbar", filters), h("p.hint#ratings-rule", unitRule())),
    h("section.card#ratings-summary", h("h3", supervisor ? "各单位评价汇总" : "本单位评价汇总"), h("div#ratings-summary-body")),
    supervisor
      ? h("section.card#ratings-list", h("h3", "评价明细（投诉在前）", h("span.count#ratings-count")), h("div#ratings-list-body"))
      : null,
  );
}

function towns(rows) {
  const { town } = view.controls;
  if (town.value) return;
  const names = [...new Set(rows.map((r) => r.town))].sort();
  fill(town, h("option", { value: "" }, "全部镇街"), names.map((n) => h("option", { value: n }, n)));
}

async function load() {
  const ticket = ++view.ticket;
  const { year, unit, town, complaints } = view.controls;
  try {
    const summary = await api(`/ratings/summary${query({ year: year.value })}`);
    if (ticket !== view.ticket) return;
    fill(document.getElementById("ratings-summary-body"), summaryTable(summary));
    if (!unit) return;
    const rows = await api(
      `/ratings${query({
        from: `${year.value}-01-01`,
        to: `${year.value}-12-31`,
        unit: unit.value,
        town: town.value,
        complaints: complaints.checked ? "true" : "",
      })}`,
    );
    if (ticket !== view.ticket) return;
    towns(rows);
    document.getElementById("ratings-count").textContent = ` ${rows.length} 条`;
    fill(document.getElementById("ratings-list-body"), ratingsTable(rows));
  } catch (error) {
    showError(error);
  }
}

export function show() {
  load();
}
