// Drawing the week: a table of days by town (or unit) on a wide screen, a list by day on a phone.
import { addDays, dayLabel, fill, h } from "./dom.js";
import { state, unitName } from "./state.js";

// the phone breakpoint of desk.css: a seven-column table cannot fit there
const PHONE = window.matchMedia("(max-width: 640px)");

/** Call fn when the screen crosses the phone breakpoint (the layout is rebuilt, not restyled). */
export function onLayoutChange(fn) {
  PHONE.addEventListener("change", fn);
}

export function weekDays(monday) {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

const byName = (a, b) => a.enterprise_name.localeCompare(b.enterprise_name, "zh-CN");

/** Rows of the grid: each town, or each unit taking part (a round then shows in several rows). */
function rowsOf(rounds, rowsBy) {
  if (rowsBy === "unit") {
    const known = state.units.map((u) => u.id);
    const extra = [...new Set(rounds.flatMap((r) => r.units))].filter((u) => !known.includes(u));
    return [...known, ...extra.sort()]
      .map((id) => ({ key: id, label: unitName(id), rounds: rounds.filter((r) => r.units.includes(id)) }))
      .filter((row) => row.rounds.length > 0);
  }
  const towns = [...new Set(rounds.map((r) => r.town))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  return towns.map((town) => ({ key: town, label: town, rounds: rounds.filter((r) => r.town === town) }));
}

function unitChip(round, unit) {
  const lead = unit === round.lead_unit;
  return h(
    lead ? "span.chip.lead" : "span.chip",
    { title: lead ? `${unitName(unit)}（牵头）` : unitName(unit), dataset: { unit } },
    unit,
    lead ? h("span.sr-only", "（牵头）") : null,
  );
}

/** A round as a button: the enterprise, its units (lead first and marked), how many items. */
export function roundCard(round, onOpen) {
  const units = [round.lead_unit, ...round.units.filter((u) => u !== round.lead_unit)];
  return h(
    "button.round-card",
    {
      type: "button",
      dataset: {
        roundId: round.id,
        enterprise: round.enterprise,
        units: round.units.join(" "),
        lead: round.lead_unit,
        date: round.date,
        town: round.town,
      },
      on: { click: () => onOpen(round) },
    },
    h("span.round-name", round.enterprise_name),
    h("span.round-units", units.map((u) => unitChip(round, u))),
    h("span.round-count", `${round.items.length} 项`),
  );
}

function dayCount(rounds, day) {
  return rounds.filter((r) => r.date === day).length;
}

// 打印当日通知书: the day's notices, one per A4 page (published rounds only: drafts have none)
function printDay(day, onPrintDay, count) {
  if (!onPrintDay || count === 0) return null;
  return h(
    "button.secondary.print-day",
    { type: "button", dataset: { day }, title: `${dayLabel(day)}的联合检查通知书`, on: { click: () => onPrintDay(day) } },
    "打印当日通知书",
  );
}

function table(rounds, rowsBy, onOpen, onPrintDay) {
  const days = weekDays(state.weekStart);
  const head = h(
    "tr",
    h("th.week-corner", { scope: "col" }, rowsBy === "unit" ? "执法单位" : "镇街"),
    days.map((day) =>
      h(
        "th",
        { scope: "col", dataset: { day } },
        h("span.day-label", dayLabel(day)),
        h("span.day-count", `${dayCount(rounds, day)} 轮`),
        printDay(day, onPrintDay, dayCount(rounds, day)),
      ),
    ),
  );
  const rows = rowsOf(rounds, rowsBy).map((row) =>
    h(
      "tr",
      { dataset: { row: row.key } },
      h("th", { scope: "row" }, h("span.row-label", row.label), h("span.row-count", `${row.rounds.length} 轮`)),
      days.map((day) =>
        h(
          "td",
          { dataset: { day } },
          row.rounds
            .filter((r) => r.date === day)
            .sort(byName)
            .map((r) => roundCard(r, onOpen)),
        ),
      ),
    ),
  );
  return h("div.table-wrap.week-wrap", h("table.week-grid", h("thead", head), h("tbody", rows)));
}

function dayList(rounds, rowsBy, onOpen, onPrintDay) {
  return h(
    "div.week-days",
    weekDays(state.weekStart).map((day) => {
      const today = rounds.filter((r) => r.date === day);
      return h(
        "section.week-day",
        { dataset: { day } },
        h(
          "h3",
          h("span.day-label", dayLabel(day)),
          h("span.day-count", `${today.length} 轮`),
          printDay(day, onPrintDay, today.length),
        ),
        today.length === 0
          ? h("p.hint", "当天没有轮次")
          : rowsOf(today, rowsBy).map((row) =>
              h(
                "div.week-group",
                { dataset: { row: row.key } },
                h("h4", row.label),
                h("div.week-cards", row.rounds.sort(byName).map((r) => roundCard(r, onOpen))),
              ),
            ),
      );
    }),
  );
}

/** What the unit codes on the cards stand for: a chip's title shows only on hover, which touch
 * screens do not have. The units of the rounds shown, in the order of the units' list. */
function legend(rounds) {
  const shown = new Set(rounds.flatMap((r) => r.units));
  const known = state.units.map((u) => u.id);
  const codes = [...known.filter((id) => shown.has(id)), ...[...shown].filter((id) => !known.includes(id)).sort()];
  return h(
    "div#week-legend.unit-legend",
    h("p.hint", "单位代码（带底色的是牵头单位）："),
    h(
      "dl",
      codes.map((id) => h("div.unit-legend-entry", h("dt", h("span.chip", id)), h("dd", unitName(id)))),
    ),
  );
}

/**
 * Draw the rounds into the container in the layout that fits the screen, with the codes' legend;
 * `onPrintDay(day)`, when given, puts a 打印当日通知书 button on each day with rounds.
 */
export function drawWeek(container, rounds, rowsBy, onOpen, onPrintDay = null) {
  const phone = PHONE.matches;
  container.dataset.layout = phone ? "days" : "grid";
  const days = phone ? dayList(rounds, rowsBy, onOpen, onPrintDay) : table(rounds, rowsBy, onOpen, onPrintDay);
  fill(container, days, legend(rounds));
}
