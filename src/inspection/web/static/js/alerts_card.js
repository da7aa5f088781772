// The figures view's 重复检查预警 card: enterprises visited again within the window, and
// requests that could have joined another unit's round there (GET /alerts).
import { api, query } from "./api.js";
import { fill, h, showError, stackOnPhone } from "./dom.js";
import { ALERT_KINDS, ALERT_WINDOW_DAYS, INSPECTION_TYPES } from "./labels.js";
import { unitName } from "./state.js";

let card = null;
let windowInput = null;
let loading = 0;
let lastFilters = {};

function units(round) {
  return round.units.map((u) => (u === round.lead_unit ? `${unitName(u)}（牵头）` : unitName(u))).join("、");
}

function roundText(round) {
  return `${round.date} ${units(round)}`;
}

function enterpriseCell(enterprise) {
  return h("td", h("strong", enterprise.name), h("span.hint", ` ${enterprise.town}`));
}

function repeatsTable(repeats) {
  if (repeats.length === 0) return h("p.empty#alerts-repeats-empty", "窗口内没有重复检查的企业。");
  const table = h(
    "table#alerts-repeats",
    h(
      "thead",
      h("tr", ["企业", "检查轮次", "最近相隔", "涉及单位"].map((t, i) => h(i === 2 ? "th.num" : "th", { scope: "col" }, t))),
    ),
    h(
      "tbody",
      repeats.map((a) =>
        h(
          "tr",
          { dataset: { enterprise: a.enterprise.credit_code } },
          enterpriseCell(a.enterprise),
          h(
            "td",
            h(
              "ul.alert-rounds",
              a.rounds.map((r) => h("li", { dataset: { round: String(r.round_id) } }, roundText(r))),
            ),
          ),
          h("td.num", `${a.closest_days} 天`),
          h("td", a.units.map(unitName).join("、")),
        ),
      ),
    ),
  );
  return h("div.table-wrap", stackOnPhone(table));
}

function requestItem(request) {
  return h(
    "li",
    `${unitName(request.unit)}：${request.title}`,
    request.reference ? `（${request.reference}）` : "",
    h(
      "span.hint",
      ` ${INSPECTION_TYPES[request.category] || request.category}，时间窗口 ${request.earliest} 至 ${request.latest}`,
    ),
  );
}

function missedTable(missed) {
  if (missed.length === 0) return h("p.empty#alerts-missed-empty", "窗口内没有可合并而未合并的检查。");
  const table = h(
    "table#alerts-missed",
    h(
      "thead",
      h(
        "tr",
        ["企业", "可合并轮次", "本可并入", "其中的检查", "相隔"].map((t, i) => h(i === 4 ? "th.num" : "th", { scope: "col" }, t)),
      ),
    ),
    h(
      "tbody",
      missed.map((a) =>
        h(
          "tr",
          { dataset: { enterprise: a.enterprise.credit_code, round: String(a.round.round_id), other: String(a.other.round_id) } },
          enterpriseCell(a.enterprise),
          h("td", roundText(a.round)),
          h("td", roundText(a.other)),
          h("td", h("ul.alert-rounds", a.requests.map(requestItem))),
          h("td.num", `${a.days_apart} 天`),
        ),
      ),
    ),
  );
  return h("div.table-wrap", stackOnPhone(table));
}

/** The card, built once; the figures view calls load() with its filters. */
export function alertsCard() {
  windowInput = h("input#alerts-window", {
    type: "number",
    min: ALERT_WINDOW_DAYS.min,
    max: ALERT_WINDOW_DAYS.max,
    step: 1,
    value: ALERT_WINDOW_DAYS.default,
    inputmode: "numeric",
    on: { change: () => loadAlerts(lastFilters) },
  });
  card = h(
    "section.card.alerts#figures-alerts",
    h("h3", "重复检查预警"),
    h("div.toolbar", h("label", "时间窗口（天）", windowInput)),
    h(
      "p.hint#alerts-rule",
      "只计已发布排期中的检查轮次；投诉举报等因案检查（规则中不计入检查次数上限的类型）不计。",
    ),
    h("h4", ALERT_KINDS.repeat, h("span.count#alerts-repeats-count")),
    h("div#alerts-repeats-list"),
    h("h4", ALERT_KINDS.missed_join, h("span.count#alerts-missed-count")),
    h("div#alerts-missed-list"),
  );
  return card;
}

/** Load the alerts over the view's filters (the year's days, unit, town). */
export async function loadAlerts(filters) {
  lastFilters = filters;
  const ticket = ++loading;
  const days = Number(windowInput.value);
  if (!Number.isInteger(days) || days < ALERT_WINDOW_DAYS.min || days > ALERT_WINDOW_DAYS.max) {
    windowInput.setCustomValidity(`时间窗口须为 ${ALERT_WINDOW_DAYS.min} 至 ${ALERT_WINDOW_DAYS.max} 天`);
    windowInput.reportValidity();
    return;
  }
  windowInput.setCustomValidity("");
  card.setAttribute("aria-busy", "true");
  try {
    const found = await api(`/alerts${query({ ...filters, window_days: days })}`);
    if (ticket !== loading) return;
    const exempt = found.case_driven.map((c) => INSPECTION_TYPES[c] || c).join("、") || "无";
    card.querySelector("#alerts-rule").textContent =
      `只计已发布排期中的检查轮次，两轮相隔不超过 ${found.window_days} 天即为窗口内；` +
      `因案检查不计（规则中不计入检查次数上限的类型：${exempt}）。`;
    card.querySelector("#alerts-repeats-count").textContent = `（${found.repeats.length}）`;
    card.querySelector("#alerts-missed-count").textContent = `（${found.missed_joins.length}）`;
    fill(card.querySelector("#alerts-repeats-list"), repeatsTable(found.repeats));
    fill(card.querySelector("#alerts-missed-list"), missedTable(found.missed_joins));
  } catch (error) {
    if (ticket === loading) showError(error);
  } finally {
    if (ticket === loading) card.removeAttribute("aria-busy");
  }
}
