// The figures view: what merging the inspections saved this year, by month, unit and town.
import { alertsCard, loadAlerts } from "./alerts_card.js";
import { api, query } from "./api.js";
import { barChart } from "./charts.js";
import { fill, h, percent, showError, toast } from "./dom.js";
import { FIGURE_BASIS, METRICS, REPORT_FIGURES } from "./labels.js";
import { on, state, unitName } from "./state.js";

// [id, label, field of VisitFigures, what it means]; the names are the metrics' own
const asHeadline = ([id, field]) => [id, METRICS[field][0], field, METRICS[field][1]];
// the headline: visits saved, each round counted by what is known of it (its basis beside)
const HEADLINES = [["figures-total-saved", "visits_saved"]].map(asHeadline);
// what is announced (the published rounds)
const ANNOUNCED = [
  ["figures-requests", "requests"],
  ["figures-rounds", "rounds"],
  ["figures-announced-saved", "announced_visits_saved"],
  ["figures-share", "merged_share"],
  ["figures-joint", "joint_rounds"],
  ["figures-checklists", "checklists"],
].map(asHeadline);
// what the outcomes say was carried out (按已实施), and the rounds still without a final one
const CARRIED_OUT = [
  ["figures-rounds-carried", "rounds_carried_out"],
  ["figures-requests-carried", "requests_carried_out"],
  ["figures-carried-saved", "carried_out_visits_saved"],
  ["figures-problem-rate", "problem_rate"],
  ["figures-parts", "unit_parts_carried_out"],
  ["figures-parts-problems", "unit_parts_with_problems"],
  ["figures-cases", "cases_opened"],
  ["figures-awaiting", "rounds_awaiting_confirmation"],
  ["figures-not-carried", "rounds_not_carried_out"],
  ["figures-no-outcome", "rounds_without_outcome"],
].map(asHeadline);
const SHARES = new Set(["merged_share", "problem_rate"]);

/** A figure as shown: shares as percentages, a rate without anything to divide as —. */
function shown(field, value) {
  if (value === null) return "—";
  return SHARES.has(field) ? percent(value) : value.toLocaleString("zh-CN");
}

// [group_by, heading, category axis title, first column of the table]
const CHARTS = [
  ["month", "按月份", "月份", "月份"],
  ["unit", "按执法单位", "执法单位（按各单位的请求计）", "执法单位"],
  ["town", "按镇街", "镇街", "镇街"],
];

let root = null;
let controls = null;
let loading = 0;
let drawn = null; // the last figures drawn, to redraw the charts at a new width
let drawnWidth = 0;

/** The year to open on: the newest with published rounds the key may see, else the week's. */
function openingYear() {
  const latest = state.me.latest_published_day;
  return Number((latest || state.weekStart).slice(0, 4));
}

function yearOptions() {
  const shown = openingYear();
  const now = new Date().getFullYear();
  const years = [];
  for (let y = Math.max(shown, now) + 1; y >= Math.min(shown, now) - 4; y -= 1) years.push(y);
  return years.map((y) => h("option", { value: y, selected: y === shown }, `${y}年`));
}

function select(id, label, options, onChange) {
  const control = h(`select#${id}`, { on: { change: onChange } }, options);
  return [h("label", label, control), control];
}

function headline([id, label, , meaning]) {
  return h(
    "div.stat",
    h("span.stat-label", label),
    h(`strong.stat-value#${id}`, { dataset: { value: "" } }, "—"),
    h("p.hint", meaning),
  );
}

function chartBlock([groupBy, heading]) {
  return h(
    "section.card.figure-block",
    { dataset: { groupBy } },
    h("h3", heading),
    h("div.figure-body", h("div.figure-chart"), h("div.table-wrap.figure-table")),
  );
}

/** Build the view once; the figures come with show(). */
export function init(section) {
  root = section;
  const [yearLabel, year] = select("figures-year", "年份", yearOptions(), load);
  const unitOptions = [h("option", { value: "" }, "全部单位")].concat(
    state.units.map((u) => h("option", { value: u.id }, u.name)),
  );
  const [unitLabel, unit] = select("figures-unit", "执法单位", unitOptions, load);
  const [townLabel, town] = select("figures-town", "镇街", [h("option", { value: "" }, "全部镇街")], load);
  controls = { year, unit, town };
  fill(
    section,
    h(
      "div.card",
      h("h2", METRICS.visits_saved[0]),
      h("div.toolbar", yearLabel, unitLabel, townLabel),
      h("p#figures-landing.note", { role: "note", hidden: true }),
      h(
        "p.hint",
        `“按已公布”统计已发布排期中的检查轮次：每一轮记在牵头单位的第一项请求上，其余请求都算作减少的入企次数，所以各分组相加等于合计。“按已实施”只计牵头单位确认实施、单位登记为已实施的检查。`,
      ),
    ),
    h(
      "section.figures-basis.headline",
      h("div.stats#figures-headline", HEADLINES.map(headline)),
      h(
        "div.basis-note",
        h("span.badge#figures-basis", { dataset: { basis: "" } }, "—"),
        h("p.hint#figures-basis-note"),
      ),
    ),
    h("section.figures-basis", h("h3", "按已公布"), h("div.stats#figures-announced", ANNOUNCED.map(headline))),
    h(
      "section.figures-basis",
      h("h3", "按已实施"),
      h(
        "p.hint",
        "牵头单位确认实施的轮次中，检查结果为“已实施”的单位才计入；发现问题率按每个检查码每个单位计一次。",
      ),
      h("div.stats#figures-carried", CARRIED_OUT.map(headline)),
    ),
    h("p.card.empty#figures-empty", { hidden: true }),
    CHARTS.map(chartBlock),
    alertsCard(),
    h(
      "section.card.annual",
      h("h3", "年度法治政府建设报告用语"),
      h("blockquote#figures-annual", "—"),
      h("dl.annual-figures#figures-annual-figures"),
      h("div.toolbar", h("button.secondary#figures-copy", { type: "button", on: { click: copyAnnual } }, "复制这段文字")),
      h("p.hint", "全区全年的数字，不受上面执法单位和镇街筛选的影响。"),
    ),
  );
  on("published", () => {
    if (!root.hidden) load();
  });
  window.addEventListener("resize", redrawIfResized);
}

/** Charts are drawn at their container's width; redraw after a real change (a phone turned). */
function redrawIfResized() {
  clearTimeout(redrawIfResized.timer);
  redrawIfResized.timer = setTimeout(() => {
    if (!drawn || root.hidden || Math.abs(root.clientWidth - drawnWidth) < 60) return;
    CHARTS.forEach((chart, index) => drawChart(chart, drawn[index]));
    drawnWidth = root.clientWidth;
  }, 200);
}

export function show() {
  load();
}

function groupLabel(groupBy, group) {
  if (groupBy === "month") return `${Number(group.key.slice(5))}月`;
  if (groupBy === "unit") return unitName(group.key);
  return group.label || group.key;
}

// the columns of each chart's table: the announced figures, then what was carried out
const TABLE_FIGURES = ["requests", "rounds", "visits_saved", "merged_share", "rounds_carried_out", "problem_rate"];

function numbersTable(groupBy, firstColumn, groups) {
  return h(
    "table",
    h("caption.hint", "图中的数字"),
    h(
      "thead",
      h(
        "tr",
        [firstColumn, ...TABLE_FIGURES.map((f) => METRICS[f][0])].map((t, i) =>
          h(i ? "th.num" : "th", { scope: "col" }, t),
        ),
      ),
    ),
    h(
      "tbody",
      groups.map((g) =>
        h(
          "tr",
          { dataset: { key: g.key } },
          h("th", { scope: "row" }, groupLabel(groupBy, g)),
          TABLE_FIGURES.map((f) => h("td.num", { dataset: { figure: f } }, shown(f, g[f]))),
        ),
      ),
    ),
  );
}

function drawChart([groupBy, heading, axisTitle, firstColumn], stats) {
  const block = root.querySelector(`.figure-block[data-group-by="${groupBy}"]`);
  const chart = block.querySelector(".figure-chart");
  const table = block.querySelector(".figure-table");
  if (stats.groups.length === 0) {
    fill(chart, h("p.empty", "暂无数据"));
    fill(table);
    return;
  }
  const rows = stats.groups.map((g) => ({ ...g, label: groupLabel(groupBy, g) }));
  fill(chart);
  fill(
    chart,
    barChart({
      groupBy,
      axisTitle,
      caption: `${heading}：每组的${METRICS.requests[0]}、${METRICS.rounds[0]}和${METRICS.announced_visits_saved[0]}`,
      rows,
      width: chart.clientWidth,
    }),
  );
  fill(table, numbersTable(groupBy, firstColumn, stats.groups));
}

function showHeadlines(total) {
  for (const [id, , field] of [...HEADLINES, ...ANNOUNCED, ...CARRIED_OUT]) {
    const value = total[field];
    const node = root.querySelector(`#${id}`);
    node.dataset.value = String(value);
    node.textContent = shown(field, value);
  }
  const basis = root.querySelector("#figures-basis");
  basis.dataset.basis = total.basis;
  basis.textContent = `${METRICS.visits_saved[0]}：${FIGURE_BASIS[total.basis]}`;
  basis.className = total.basis === "announced" ? "badge" : "badge good";
  root.querySelector("#figures-basis-note").textContent =
    total.basis === "announced"
      ? `还没有登记检查结果，${METRICS.visits_saved[0]}按已发布排期计。`
      : `${METRICS.visits_saved[0]}中，已实施的轮次按已实施计（${total.rounds_carried_out}轮），未实施的计 0（${total.rounds_not_carried_out}轮），待确认和尚无结果的按已公布计（${total.rounds_awaiting_confirmation + total.rounds_without_outcome}轮）。`;
}

/** The report's figures under their names, beside the paragraph that quotes them. */
function showAnnualFigures(annual) {
  fill(
    root.querySelector("#figures-annual-figures"),
    Object.entries(REPORT_FIGURES).map(([field, [name, meaning]]) =>
      h(
        "div",
        h("dt", { title: meaning }, name),
        h("dd", { dataset: { figure: field, value: String(annual[field]) } }, shown(field, annual[field])),
      ),
    ),
  );
}

/** Say which year is shown when it is not this one: the newest with published rounds. */
function showLanding(year) {
  const note = root.querySelector("#figures-landing");
  const latest = state.me.latest_published_day;
  const landed = latest !== null && Number(year) === Number(latest.slice(0, 4)) && Number(year) !== new Date().getFullYear();
  note.hidden = !landed;
  note.textContent = landed ? `显示有已发布排期的最近一年：${year}年（最近一轮在 ${latest}）。` : "";
}

/** The annual paragraph; a year with no published round gets the API's one sentence, no zeros. */
function showAnnual(annual) {
  root.querySelector("#figures-annual").textContent = annual.paragraph;
  const none = annual.rounds === 0;
  root.querySelector("#figures-annual-figures").hidden = none;
  if (!none) showAnnualFigures(annual);
}

function showEmpty(total, year) {
  const empty = root.querySelector("#figures-empty");
  empty.hidden = total.requests > 0;
  const filtered = controls.unit.value || controls.town.value ? "（在所选执法单位和镇街中）" : "";
  const latest = state.me.latest_published_day;
  const elsewhere = latest && latest.slice(0, 4) !== String(year);
  empty.textContent =
    `${year}年${filtered}还没有已发布排期中的检查，各项统计都是 0。` +
    (elsewhere
      ? `最近一轮已发布的检查在 ${latest}，可选择${latest.slice(0, 4)}年查看。`
      : `协调人在“排期”中发布一周的排期后，这里会显示${METRICS.visits_saved[0]}。`);
}

/** Towns to filter by: those with figures this year, kept while a town is chosen. */
function updateTowns(townStats) {
  if (controls.town.value) return;
  fill(
    controls.town,
    h("option", { value: "" }, "全部镇街"),
    townStats.groups.map((g) => h("option", { value: g.key }, g.key)),
  );
}

async function load() {
  const ticket = ++loading;
  const year = controls.year.value;
  const filters = {
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    unit: controls.unit.value,
    town: controls.town.value,
  };
  root.setAttribute("aria-busy", "true");
  loadAlerts(filters);
  try {
    const [grouped, annual] = await Promise.all([
      Promise.all(CHARTS.map(([groupBy]) => api(`/stats/visits${query({ ...filters, group_by: groupBy })}`))),
      api(`/reports/annual${query({ year })}`),
    ]);
    if (ticket !== loading) return; // a newer choice is on its way
    // every grouped answer carries the same total over the same filters
    showHeadlines(grouped[0].total);
    showEmpty(grouped[0].total, year);
    CHARTS.forEach((chart, index) => drawChart(chart, grouped[index]));
    drawn = grouped;
    drawnWidth = root.clientWidth;
    updateTowns(grouped[2]);
    showLanding(year);
    showAnnual(annual);
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) root.removeAttribute("aria-busy");
  }
}

async function copyAnnual() {
  const paragraph = root.querySelector("#figures-annual").textContent;
  try {
    await navigator.clipboard.writeText(paragraph);
    toast("已复制到剪贴板", "good");
  } catch {
    // some browsers refuse the clipboard: leave the text selected for Ctrl+C
    const range = document.createRange();
    range.selectNodeContents(root.querySelector("#figures-annual"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    toast("无法直接复制，文字已选中，请按 Ctrl+C 复制");
  }
}
