// The planning view: start a run over a horizon, watch it converge, stop it, then review and publish.
import { api, ApiError, query } from "./api.js";
import { fill, h, showError } from "./dom.js";
import { ACTIVE_PLAN_STATUSES, PLAN_STATUS, PLAN_TIME_LIMIT_S, REGION_PICKER } from "./labels.js";
import { partsCard, refreshParts, showParts } from "./planning_parts.js";
import { buildResults } from "./planning_results.js";
import { followPlan } from "./planning_run.js";
import { refreshSchedule, scheduleCards } from "./planning_schedule.js";
import { emit, on, regionParam, state, weekEnd } from "./state.js";

const FIELDS = { start: "开始日期", end: "结束日期", time_limit_s: "求解时限", region: REGION_PICKER };

let form = null; // {start, end, limit, button, error}
let run = null; // the run panel's nodes
let results = null;
let watch = null; // the plan being followed: {id, limit, plan, controller, base, baseAt, ended}
let touched = false; // the user edited the dates: keep them when the week changes

function buildForm() {
  const input = (id, type, props = {}, dates = false) =>
    h(`input#${id}`, {
      type,
      name: id,
      required: true,
      ...props,
      on: {
        input: () => {
          clearFormError();
          if (dates) touched = true;
        },
      },
    });
  form = {
    start: input("plan-from", "date", {}, true),
    end: input("plan-to", "date", {}, true),
    limit: input("plan-limit", "number", { min: PLAN_TIME_LIMIT_S.min, max: PLAN_TIME_LIMIT_S.max, step: 1, value: 30, inputmode: "numeric" }),
    button: h("button#plan-start", { type: "submit" }, "开始排期"),
    error: h("p#plan-form-error.error", { role: "alert" }),
  };
  return h(
    "section.card.plan-new",
    h("h2", "新建排期"),
    h(
      "form#plan-form.toolbar.plan-form",
      { novalidate: true, on: { submit: start } },
      h("label", "开始日期", form.start),
      h("label", "结束日期", form.end),
      h("label", "求解时限（秒）", form.limit),
      form.button,
    ),
    form.error,
    h(
      "p.hint",
      "把计划期内所有待检查请求合并成尽量少的检查轮次：先排入尽量多（优先级高）的请求，再使轮次最少。",
      "求解在时限内持续改进，可随时提前结束并保留已找到的最好排期。",
    ),
  );
}

function buildRun() {
  run = {
    card: h("section#plan-run.card", { hidden: true }),
    title: h("h2#plan-title"),
    status: h("span#plan-status.badge"),
    progress: h("progress#plan-progress", { max: 100, value: 0, "aria-label": "求解进度" }),
    elapsed: h("span#plan-elapsed", "—"),
    found: h("span#plan-rounds-found", "—"),
    bound: h("span#plan-rounds-bound", "—"),
    error: h("p#plan-error.error", { role: "alert", hidden: true }),
    stop: h("button#plan-stop.danger", { type: "button", on: { click: stop } }, "提前结束"),
  };
  const figure = (label, value) => h("div", h("dt", label), h("dd", value));
  fill(
    run.card,
    h("div.plan-run-head", run.title, run.status),
    run.progress,
    h(
      "dl.plan-live",
      figure("已用时间", run.elapsed),
      figure("当前最佳排期的轮次", run.found),
      figure("轮次下界", run.bound),
    ),
    h(
      "p.hint",
      "轮次下界是任何排期都至少需要的轮次数（在排入同样多请求的前提下）；当前最佳与下界相等时，即已证明不可能更少。",
    ),
    run.error,
    h("div.plan-actions", run.stop),
  );
  return run.card;
}

export function init(section) {
  results = h("div#plan-results.plan-results", { hidden: true });
  fill(section, buildForm(), ...scheduleCards((plan) => attach(plan)), buildRun(), partsCard(), results);
  resetDates();
  on("week", () => {
    if (!touched) resetDates();
  });
  // another region: its newest plan, schedule and drafts (a run of the region left keeps going)
  on("region", () => {
    if (!section.hidden) show("", { switched: true });
  });
}

function resetDates() {
  form.start.value = state.weekStart;
  form.end.value = weekEnd();
}

/** Attach to the picked region's newest plan when it is still running, or show it when it has
 * finished; `switched`: the region changed, so the plan on screen (another region's) goes. */
export async function show(rest = "", { switched = false } = {}) {
  refreshSchedule();
  let newest;
  const region = state.region;
  try {
    [newest] = await api(`/plans${query({ limit: 1, ...regionParam() })}`);
  } catch (error) {
    showError(error);
    return;
  }
  if (region !== state.region) return; // picked again meanwhile: that show() decides
  if (!newest) {
    if (switched) detach();
    return;
  }
  if (watch && watch.id === newest.id) return;
  if (watch && !watch.ended && !switched) return; // keep following the run on screen
  attach(newest);
}

/** Nothing on screen: the picked region has no plan yet. */
function detach() {
  if (watch) {
    watch.ended = true;
    watch.controller.abort();
    clearInterval(watch.timer);
    watch = null;
  }
  form.button.disabled = false;
  run.card.hidden = true;
  showParts(null);
  results.hidden = true;
  fill(results);
}

function clearFormError() {
  form.error.textContent = "";
  for (const input of [form.start, form.end, form.limit]) input.removeAttribute("aria-invalid");
}

function formError(message, input) {
  form.error.textContent = message;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

/** The client's own checks; the server still judges (e.g. the longest horizon). */
function validate() {
  const start = form.start.value;
  const end = form.end.value;
  const limit = Number(form.limit.value);
  if (!start) return formError("请填写开始日期。", form.start);
  if (!end) return formError("请填写结束日期。", form.end);
  if (end < start) return formError(`结束日期（${end}）不能早于开始日期（${start}）。`, form.end);
  if (form.limit.value === "" || !Number.isInteger(limit) || limit < PLAN_TIME_LIMIT_S.min || limit > PLAN_TIME_LIMIT_S.max) {
    const { min, max } = PLAN_TIME_LIMIT_S;
    return formError(`求解时限应为 ${min} 到 ${max} 之间的整数秒。`, form.limit);
  }
  return { start, end, time_limit_s: limit, ...regionParam() };
}

async function start(event) {
  event.preventDefault();
  clearFormError();
  const body = validate();
  if (!body) return;
  form.button.disabled = true;
  let plan;
  try {
    plan = await api("/plans", { method: "POST", body });
  } catch (error) {
    form.button.disabled = false;
    if (!(error instanceof ApiError)) throw error;
    const field = error.problem && error.problem.field;
    const named = FIELDS[field] ? `（${FIELDS[field]}）` : field ? `（${field}）` : "";
    const input = { start: form.start, end: form.end, time_limit_s: form.limit }[field];
    formError(`排期未能开始：${error.message}${named}`, input);
    return;
  }
  attach(plan);
}

function attach(plan) {
  if (watch) {
    watch.ended = true;
    watch.controller.abort();
    clearInterval(watch.timer);
  }
  watch = {
    id: plan.id,
    limit: plan.time_limit_s > 0 ? plan.time_limit_s : null,
    plan,
    controller: new AbortController(),
    base: 0,
    baseAt: null,
    ended: false,
    shown: 0, // the most time shown so far: the clock only moves forward
    timer: null,
  };
  results.hidden = true;
  fill(results);
  run.card.hidden = false;
  run.card.dataset.planId = plan.id;
  run.error.hidden = true;
  run.title.textContent = `排期 #${plan.id} · ${plan.start} 至 ${plan.end}`;
  run.found.textContent = "—";
  run.bound.textContent = "—";
  run.progress.value = 0;
  if (watch.limit === null) run.progress.removeAttribute("value"); // indeterminate
  showParts(plan);
  update(watch, plan);
  if (!watch.ended) {
    form.button.disabled = true;
    run.stop.hidden = false;
    run.stop.disabled = false;
    run.stop.textContent = "提前结束";
    watch.timer = setInterval(() => tick(watch), 500);
    const current = watch;
    followPlan(current.id, (plan) => update(current, plan), () => current.ended, current.controller.signal);
  }
}

function update(current, plan) {
  if (current !== watch || current.ended) return;
  const moved = plan.status !== current.plan.status || JSON.stringify(plan.progress) !== JSON.stringify(current.plan.progress);
  current.plan = plan;
  if (moved) refreshParts(plan); // the parts' figures are summed into the plan's
  run.status.textContent = PLAN_STATUS[plan.status] || plan.status;
  run.status.className = `badge ${badgeKind(plan.status)}`;
  const progress = plan.progress;
  if (progress) {
    if (progress.elapsed_s !== current.base || current.baseAt === null) {
      current.base = progress.elapsed_s; // a new report: restart the local clock from it
      current.baseAt = performance.now();
    }
    run.found.textContent = String(progress.rounds);
    run.bound.textContent = progress.rounds_bound > 0 ? String(progress.rounds_bound) : "尚未求得";
  } else if (plan.status === "running" && current.baseAt === null) {
    current.baseAt = performance.now(); // solving has begun; count from here until figures arrive
  }
  if (ACTIVE_PLAN_STATUSES.has(plan.status)) tick(current);
  else finish(current, plan);
}

/** Between events (the solver reports only improvements) the clock keeps moving locally. */
function tick(current) {
  if (current !== watch || current.ended) return;
  const elapsed =
    current.baseAt === null ? 0 : current.base + (performance.now() - current.baseAt) / 1000;
  // a report that arrives late (a busy server) names less time than the local clock showed:
  // the clock and the bar never go back
  const shown = Math.max(current.shown || 0, current.limit ? Math.min(elapsed, current.limit) : elapsed);
  current.shown = shown;
  run.elapsed.textContent = current.limit
    ? `${shown.toFixed(1)} 秒 / 时限 ${current.limit} 秒`
    : `${shown.toFixed(1)} 秒`;
  if (current.limit) run.progress.value = Math.min(99, Math.floor((shown / current.limit) * 100));
}

function badgeKind(status) {
  if (status === "finished") return "good";
  if (status === "stopped") return "warn";
  if (status === "failed") return "bad";
  return "";
}

async function stop() {
  if (!watch || watch.ended) return;
  run.stop.disabled = true;
  run.stop.textContent = "正在结束…";
  try {
    await api(`/plans/${watch.id}/stop`, { method: "POST" });
  } catch (error) {
    run.stop.disabled = false;
    run.stop.textContent = "提前结束";
    showError(error);
  }
}

async function finish(current, plan) {
  const observed = current.timer !== null; // it ran while on screen, not merely found finished
  current.ended = true;
  current.controller.abort();
  clearInterval(current.timer);
  form.button.disabled = false;
  run.stop.hidden = true;
  run.progress.value = 100;
  // the server's clock stops at the last improvement; a run watched here ran at least as long as seen
  const watched = observed && current.baseAt !== null ? current.base + (performance.now() - current.baseAt) / 1000 : 0;
  const elapsed = Math.max(plan.progress ? plan.progress.elapsed_s : 0, watched);
  const seconds = elapsed > 0 ? `${elapsed.toFixed(1)} 秒` : "—";
  run.elapsed.textContent = current.limit ? `${seconds} / 时限 ${current.limit} 秒` : seconds;
  const figures = plan.statistics;
  if (figures) {
    run.found.textContent = String(figures.rounds);
    run.bound.textContent = String(Math.max(figures.rounds_lower_bound, figures.rounds_lower_bound_proven));
  }
  if (plan.status === "failed") {
    run.error.hidden = false;
    run.error.textContent = `排期失败：${plan.error || "原因不明"}`;
    return;
  }
  let built;
  try {
    built = await buildResults(plan);
  } catch (error) {
    showError(error);
    return;
  }
  if (current !== watch) return; // another plan took the screen meanwhile
  fill(results, built);
  results.hidden = false;
  if (observed) emit("plan-done", plan);
}
