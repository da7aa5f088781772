// The week view: every round of the week on screen, by day and town (or unit), with filters.
import { api, openPrintable, query } from "./api.js";
import { DONE_PLAN_STATUSES, METRICS, PLAN_DRAFTS, planLabel } from "./labels.js";
import { addDays, dayLabel, fill, h, mondayOf, showError } from "./dom.js";
import { isRole, loadRounds, on, setSource, setWeek, state, weekEnd } from "./state.js";
import { drawWeek, onLayoutChange } from "./week_grid.js";
import { openRoundDialog } from "./week_dialog.js";

export { openRoundDialog };

const view = {
  section: null,
  rounds: [], // as loaded for the week and source, before the filters
  plans: [],
  rowsBy: "town",
  filters: { unit: "", town: "", text: "" },
  ticket: 0,
  summaryTicket: 0,
  el: {},
};

// Registered when the module loads, not in init: a run that ends before anyone opens this view
// still decides what every view shows (setSource emits "week").
on("plan-done", (plan) => {
  if (!plan || plan.status === "failed") return; // a failed run has no rounds to look at
  // a run for another week is looked at in its own first week (one "week" event, from setSource)
  if (plan.start > weekEnd() || plan.end < state.weekStart) state.weekStart = mondayOf(plan.start);
  setSource(plan.id);
});
on("published", () => setSource("published"));

export { planLabel };

function sourceOptions() {
  const start = state.weekStart;
  const end = weekEnd();
  const current = String(state.source);
  const shown = view.plans.filter(
    (p) =>
      String(p.id) === current ||
      (p.start <= end && p.end >= start && (p.published || DONE_PLAN_STATUSES.has(p.status))),
  );
  const options = [h("option", { value: "published" }, "已发布")];
  for (const plan of shown) options.push(h("option", { value: String(plan.id) }, planLabel(plan)));
  if (current !== "published" && !shown.some((p) => String(p.id) === current)) {
    const known = view.plans.find((p) => String(p.id) === current);
    options.push(h("option", { value: current }, known ? planLabel(known) : `排期 #${current}`));
  }
  fill(view.el.source, options);
  view.el.source.value = current;
}

function townOptions() {
  const towns = [...new Set(view.rounds.map((r) => r.town))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  if (!towns.includes(view.filters.town)) view.filters.town = "";
  fill(view.el.town, h("option", { value: "" }, "全部镇街"), towns.map((t) => h("option", { value: t }, t)));
  view.el.town.value = view.filters.town;
}

function filtered() {
  const { unit, town, text } = view.filters;
  const needle = text.trim().toLowerCase();
  return view.rounds.filter(
    (r) =>
      (!unit || r.units.includes(unit)) &&
      (!town || r.town === town) &&
      (!needle || r.enterprise_name.toLowerCase().includes(needle) || r.enterprise.toLowerCase().includes(needle)),
  );
}

function isFiltered() {
  const { unit, town, text } = view.filters;
  return Boolean(unit || town || text.trim());
}

function clearFilters() {
  view.filters = { unit: "", town: "", text: "" };
  if (view.el.unit) view.el.unit.value = "";
  view.el.town.value = "";
  view.el.text.value = "";
  draw();
}

/** What the shown source is called: the published rounds, or a plan by its real state. */
function sourceName() {
  if (state.source === "published") return "已发布排期";
  const plan = view.plans.find((p) => String(p.id) === String(state.source));
  return plan ? planLabel(plan) : `排期 #${state.source}`;
}

/** The week's figures, from the API (one definition of each, the figures view's). */
async function summary(rounds) {
  const mine = ++view.summaryTicket;
  const { unit, town, text } = view.filters;
  const params = {
    from: state.weekStart,
    to: weekEnd(),
    unit: unit || undefined,
    town: town || undefined,
    plan: state.source === "published" ? undefined : state.source,
  };
  let total;
  try {
    total = (await api(`/stats/visits${query(params)}`)).total;
  } catch (error) {
    if (mine === view.summaryTicket) fill(view.el.summary, `无法加载本周的统计：${error.message}`);
    return;
  }
  if (mine !== view.summaryTicket) return; // a newer week, source or filter meanwhile
  const scope = unit || town ? "（筛选后）" : "";
  const figure = (field) => [`${METRICS[field][0]} `, h("strong", { dataset: { figure: field } }, total[field])];
  Object.assign(view.el.summary.dataset, {
    shown: rounds.length,
    rounds: total.rounds,
    requests: total.requests,
    saved: total.visits_saved,
    joint: total.joint_rounds,
  });
  fill(
    view.el.summary,
    `${sourceName()}${scope}，本周显示 ${rounds.length} 轮：`,
    ...figure("rounds"),
    "（其中",
    ...figure("joint_rounds"),
    "），",
    ...figure("requests"),
    "，",
    ...figure("visits_saved"),
    "。",
    text.trim() ? h("span.hint", " 企业筛选只影响显示的轮次，不影响统计。") : null,
    unit || isRole("unit") ? h("span.hint", ` ${METRICS.rounds[1]}`) : null,
  );
}

function weekRange(monday) {
  return `${dayLabel(monday)} – ${dayLabel(addDays(monday, 6))}`;
}

/** Where the published data is, for a reader on an empty week (coordinators plan instead). */
function pointer() {
  const latest = state.me.latest_published_day;
  if (!latest) return h("p#week-nothing-published", "目前还没有任何已发布的排期，协调人发布排期后这里会显示检查轮次。");
  const monday = mondayOf(latest);
  if (monday === state.weekStart) return null;
  return h(
    "p",
    h("button.secondary#week-to-latest", { type: "button", on: { click: () => setWeek(monday) } }, `查看最近已发布的一周（${weekRange(monday)}）`),
  );
}

function emptyState() {
  if (state.source !== "published") return h("p.empty.week-empty", "该草案在本周没有排定的轮次。");
  const text = isRole("unit") ? "本周没有本单位参加的已发布检查轮次。" : "本周没有已发布的检查轮次。";
  const toPlan = () => document.querySelector('#tabs [data-view="plan"]')?.click();
  return h(
    "div.week-empty",
    h("p.empty", text),
    isRole("coordinator")
      ? h("p", "可到「排期」页为本周生成排期并发布。 ", h("button.secondary", { type: "button", on: { click: toPlan } }, "去排期"))
      : pointer(),
  );
}

/** Say why the desk opened on this week rather than the current one, while it is on screen. */
function landingNote() {
  const note = view.el.landing;
  const landed = state.landedOn !== null && state.landedOn === state.weekStart && state.source === "published";
  note.hidden = !landed;
  if (!landed) return fill(note);
  const why = isRole("unit") ? "本周没有本单位参加的已发布检查轮次" : "本周没有已发布的检查轮次";
  return fill(note, `显示最近已发布的一周：${weekRange(state.weekStart)}（${why}）。`);
}

function draw() {
  const rounds = filtered();
  summary(rounds);
  const body = view.el.body;
  if (view.rounds.length === 0) {
    body.dataset.layout = "empty";
    fill(body, emptyState());
  } else if (rounds.length === 0) {
    body.dataset.layout = "empty";
    fill(
      body,
      h(
        "div.week-empty",
        h("p.empty", "没有符合筛选条件的轮次。"),
        h("button.secondary", { type: "button", on: { click: clearFilters } }, "清除筛选"),
      ),
    );
  } else {
    const printable = state.source === "published" ? printDayNotices : null;
    drawWeek(body, rounds, view.rowsBy, (round) => openRoundDialog(round.id), printable);
  }
}

// a day's notices of joint inspection, one per A4 page; the unit filter narrows them as it
// narrows the cards (a unit's key gets its own unit's anyway)
async function printDayNotices(day) {
  try {
    await openPrintable(`/notices${query({ day, unit: view.filters.unit })}`);
  } catch (error) {
    showError(error);
  }
}

async function reload() {
  const mine = ++view.ticket;
  view.el.date.value = state.weekStart;
  fill(view.el.title, weekRange(state.weekStart));
  landingNote();
  view.el.body.dataset.status = "loading";
  view.el.body.setAttribute("aria-busy", "true");
  try {
    const [rounds, plans] = await Promise.all([loadRounds(), isRole("coordinator") ? api("/plans") : null]);
    if (mine !== view.ticket) return; // a newer week or source was asked for meanwhile
    view.rounds = rounds;
    if (plans) {
      view.plans = plans;
      sourceOptions();
    }
    townOptions();
    draw();
    // what the cards are of, so a reader (or a test) can tell a finished reload from the last one
    Object.assign(view.el.body.dataset, { status: "ready", week: state.weekStart, source: state.source });
  } catch (error) {
    if (mine !== view.ticket) return;
    view.rounds = [];
    fill(view.el.summary, "");
    fill(view.el.body, h("p.error", { role: "alert" }, `无法加载本周的轮次：${error.message}`));
    view.el.body.dataset.status = "error";
  } finally {
    if (mine === view.ticket) view.el.body.removeAttribute("aria-busy");
  }
}

function rowsToggle() {
  const choice = (value, label) =>
    h(
      "button.secondary",
      {
        type: "button",
        "aria-pressed": String(view.rowsBy === value),
        dataset: { rows: value },
        on: {
          click: (event) => {
            view.rowsBy = value;
            for (const b of event.currentTarget.parentElement.children) {
              b.setAttribute("aria-pressed", String(b.dataset.rows === value));
            }
            draw();
          },
        },
      },
      label,
    );
  return h(
    "div.field",
    h("span", { id: "week-rows-label" }, "按行显示"),
    h(
      "div.segmented#week-rows",
      { role: "group", "aria-labelledby": "week-rows-label" },
      choice("town", "镇街"),
      choice("unit", "执法单位"),
    ),
  );
}

function step(days, id, text) {
  const go = () => setWeek(addDays(state.weekStart, days));
  return h(`button.secondary#${id}`, { type: "button", on: { click: go } }, text);
}

function toolbar() {
  const el = view.el;
  const setFilter = (key) => (event) => {
    view.filters[key] = event.target.value;
    draw();
  };
  el.date = h("input#week-date", {
    type: "date",
    on: { change: (e) => e.target.value && setWeek(mondayOf(e.target.value)) },
  });
  el.town = h("select#week-town", { on: { change: setFilter("town") } });
  el.text = h("input#week-enterprise", {
    type: "search",
    placeholder: "名称或信用代码",
    autocomplete: "off",
    on: { input: setFilter("text") },
  });
  if (!isRole("unit")) {
    el.unit = h(
      "select#week-unit",
      { on: { change: setFilter("unit") } },
      h("option", { value: "" }, "全部单位"),
      state.units.map((u) => h("option", { value: u.id }, u.name)),
    );
  }
  if (isRole("coordinator")) {
    el.source = h("select#week-source", {
      on: { change: (e) => setSource(e.target.value === "published" ? "published" : Number(e.target.value)) },
    });
  }
  return h(
    "div.toolbar.week-toolbar",
    h(
      "div.week-nav",
      step(-7, "week-prev", "‹ 上一周"),
      h("label", "日期所在周", el.date),
      step(7, "week-next", "下一周 ›"),
    ),
    el.source ? h("label", "数据来源", el.source) : null,
    rowsToggle(),
    el.unit ? h("label", "执法单位", el.unit) : null,
    h("label", "镇街", el.town),
    h("label", "企业", el.text),
  );
}

export function init(section) {
  view.section = section;
  const el = view.el;
  el.title = h("h2#week-title");
  el.landing = h("p#week-landing.note", { role: "note", hidden: true });
  el.drafts = h("p#week-drafts.note", { role: "note", hidden: true });
  el.summary = h("p#week-summary", { "aria-live": "polite" });
  el.body = h("div#week-body", { dataset: { status: "loading" } }, h("p.hint", "正在加载本周的轮次…"));
  fill(section, h("div.card", toolbar()), h("div.card.week-card", el.title, el.drafts, el.landing, el.summary, el.body));
  on("week", () => {
    if (!section.hidden) reload();
  });
  onLayoutChange(() => {
    if (view.el.body.dataset.status === "ready") draw();
  });
}

export function show() {
  reload();
  draftsNote();
}

/** A coordinator's count of the scheduled drafts waiting for review, with a link to them; none: hidden. */
async function draftsNote() {
  const note = view.el.drafts;
  if (!isRole("coordinator")) return;
  let count;
  try {
    count = (await api("/me")).plan_drafts_waiting;
  } catch (error) {
    showError(error);
    return;
  }
  note.hidden = !count;
  if (!count) return fill(note);
  return fill(note, `${PLAN_DRAFTS}：`, h("strong", String(count)), " 份，", h("a#week-drafts-link", { href: "#plan" }, "前往审核"), "。");
}

