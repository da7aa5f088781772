// The load view: how full each unit's days are, rounds it joins against the rounds it can take on.
import { addDays, dayLabel, fill, h, parseDate } from "./dom.js";
import { isRole, loadRounds, on, setWeek, state, weekEnd } from "./state.js";

const view = { section: null, title: null, body: null, ticket: 0 };

function weekDays() {
  return Array.from({ length: 7 }, (_, i) => addDays(state.weekStart, i));
}

/** What a unit can take on that day: its weekday capacity (Mon=0), none on its days off. */
export function capacity(unit, day) {
  if ((unit.days_off || []).includes(day)) return 0;
  return unit.weekday_capacity[(parseDate(day).getDay() + 6) % 7] || 0;
}

function level(used, cap) {
  if (used > cap) return "over";
  if (cap === 0) return "off";
  if (used === cap) return "full";
  return used === 0 ? "idle" : "ok";
}

const LEVEL_WORDS = { over: "超出上限", off: "不安排检查", full: "已满", idle: "空闲", ok: "" };

function bar(unit, day, used, cap) {
  const kind = level(used, cap);
  const share = cap > 0 ? Math.min(used / cap, 1) : used > 0 ? 1 : 0;
  const inner = h("span.load-fill");
  inner.style.width = `${(share * 100).toFixed(1)}%`; // CSSOM, allowed by the page's CSP
  const label = cap === 0 && used === 0 ? "休" : `${used}/${cap}`;
  const words = LEVEL_WORDS[kind] ? `，${LEVEL_WORDS[kind]}` : "";
  return h(
    `div.load-bar.${kind}`,
    {
      dataset: { unit: unit.id, day, used, capacity: cap },
      title: `${unit.name} ${dayLabel(day)}：${used} 轮 / 上限 ${cap} 轮${words}`,
    },
    inner,
    h("span.load-label", label),
  );
}

function table(units, rounds) {
  const days = weekDays();
  const head = h(
    "tr",
    h("th", { scope: "col" }, "执法单位"),
    days.map((day) => h("th", { scope: "col", dataset: { day } }, dayLabel(day))),
    h("th", { scope: "col" }, "本周合计"),
  );
  const rows = units.map((unit) => {
    const mine = rounds.filter((r) => r.units.includes(unit.id));
    const cells = days.map((day) => {
      const used = mine.filter((r) => r.date === day).length;
      return { day, used, cap: capacity(unit, day) };
    });
    const used = cells.reduce((sum, c) => sum + c.used, 0);
    const cap = cells.reduce((sum, c) => sum + c.cap, 0);
    const over = cells.filter((c) => c.used > c.cap).length;
    return h(
      "tr",
      { dataset: { unit: unit.id } },
      h("th", { scope: "row" }, unit.name),
      cells.map((c) => h("td", bar(unit, c.day, c.used, c.cap))),
      h(
        "td.load-total",
        { dataset: { used, capacity: cap } },
        `${used}/${cap}`,
        over ? h("span.badge.bad", `${over} 天超限`) : null,
      ),
    );
  });
  return h("div.table-wrap", h("table.load-table", h("thead", head), h("tbody", rows)));
}

function legend() {
  const sample = (kind, text) => h("span.load-key", h(`span.load-swatch.${kind}`), text);
  return h(
    "p.hint.load-legend",
    "每格为该单位当天参加的轮次 / 当天可承担的轮次上限。",
    sample("ok", "有余量"),
    sample("full", "已满"),
    sample("over", "超出上限"),
    h("span.load-key", "休：休息日或不安排检查"),
  );
}

async function reload() {
  const mine = ++view.ticket;
  const source = state.source === "published" ? "已发布排期" : `排期 #${state.source}`;
  fill(view.title, `${dayLabel(state.weekStart)} – ${dayLabel(weekEnd())} · ${source}`);
  view.body.dataset.status = "loading";
  view.body.setAttribute("aria-busy", "true");
  try {
    const rounds = await loadRounds();
    if (mine !== view.ticket) return; // a newer week or source was asked for meanwhile
    // a unit key reads its own rounds only, so other rows would show false zeros
    const units = isRole("unit") ? state.units.filter((u) => u.id === state.me.unit_id) : state.units;
    fill(view.body, units.length ? table(units, rounds) : h("p.empty", "没有执法单位。"));
    Object.assign(view.body.dataset, { status: "ready", week: state.weekStart, source: state.source });
  } catch (error) {
    if (mine !== view.ticket) return;
    fill(view.body, h("p.error", { role: "alert" }, `无法加载负荷：${error.message}`));
    view.body.dataset.status = "error";
  } finally {
    if (mine === view.ticket) view.body.removeAttribute("aria-busy");
  }
}

export function init(section) {
  view.section = section;
  view.title = h("h2#load-title");
  view.body = h("div#load-body", { dataset: { status: "loading" } }, h("p.hint", "正在加载负荷…"));
  const step = (days, id, text) => {
    const go = () => setWeek(addDays(state.weekStart, days));
    return h(`button.secondary#${id}`, { type: "button", on: { click: go } }, text);
  };
  const head = h("div.load-head", step(-7, "load-prev", "‹ 上一周"), view.title, step(7, "load-next", "下一周 ›"));
  fill(
    section,
    h("div.card", head, legend()),
    h("div.card", view.body),
  );
  on("week", () => {
    if (!section.hidden) reload();
  });
}

export function show() {
  reload();
}
