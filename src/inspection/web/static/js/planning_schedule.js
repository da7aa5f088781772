// The planning view's weekly schedule: the form 每周自动排期 and the list 待审核的草案 (scheduled
// drafts finished and not published), whose 审核 opens the plan in the view above.
import { api, ApiError, query } from "./api.js";
import { fill, h, showError } from "./dom.js";
import { DONE_PLAN_STATUSES, PLAN_DRAFTS, PLAN_STATUS, PLAN_TIME_LIMIT_S, SCHEDULE_DAYS, WEEKDAYS } from "./labels.js";
import { regionParam } from "./state.js";

const FIELDS = { weekday: "星期", time: "时间", horizon_days: "计划天数", lead_days: "提前天数", time_limit_s: "求解时限", enabled: "启用" };

let form = null;
let drafts = null;
// a read answered after a newer read was asked (another region picked), or after the user
// began to edit the form, must not overwrite what is on screen
let reads = 0;
let edits = 0;
let review = null; // the view's callback: show this plan (its rounds, diff and publish)

/** The two cards; `onReview(plan)` is called with the draft a coordinator opens. */
export function scheduleCards(onReview) {
  review = onReview;
  const number = (id, min, max, value) =>
    h(`input#${id}`, { type: "number", name: id, min, max, step: 1, value, inputmode: "numeric", required: true });
  form = {
    weekday: h("select#schedule-weekday", { name: "weekday" }, ...WEEKDAYS.map((name, day) => h("option", { value: String(day) }, name))),
    time: h("input#schedule-time", { type: "time", name: "time", value: "09:00", required: true }),
    horizon: number("schedule-horizon", 1, SCHEDULE_DAYS.horizon, 7),
    lead: number("schedule-lead", 0, SCHEDULE_DAYS.lead, 4),
    limit: number("schedule-limit", PLAN_TIME_LIMIT_S.min, PLAN_TIME_LIMIT_S.max, 60),
    enabled: h("input#schedule-enabled", { type: "checkbox", name: "enabled", checked: true }),
    button: h("button#schedule-save", { type: "submit" }, "保存"),
    status: h("p#schedule-status.hint", { role: "status" }),
    lastError: h("p#schedule-last-error.error", { hidden: true }),
    error: h("p#schedule-error.error", { role: "alert" }),
  };
  const card = h(
    "section#plan-schedule.card",
    h("h2", "每周自动排期"),
    h(
      "form#schedule-form.toolbar.plan-form",
      { novalidate: true, on: { submit: save, input: () => edits++, change: () => edits++ } },
      h("label", "星期", form.weekday),
      h("label", "时间（北京时间）", form.time),
      h("label", "计划天数", form.horizon),
      h("label", "提前天数", form.lead),
      h("label", "求解时限（秒）", form.limit),
      h("label.check", form.enabled, "启用"),
      form.button,
    ),
    form.error,
    form.status,
    form.lastError,
    h("p.hint", `到时自动生成下一计划期的排期草案，求解完成后列入“${PLAN_DRAFTS}”，审核并发布后才生效。`),
  );
  drafts = h("section#plan-drafts.card", h("h2", PLAN_DRAFTS), h("p.hint", "载入中…"));
  return [card, drafts];
}

/** Read the region's schedule and the drafts waiting for review. */
export async function refreshSchedule() {
  const asked = ++reads;
  const editsBefore = edits;
  try {
    const schedule = await api(`/planning-schedule${query(regionParam())}`); // null while none is set
    if (asked === reads && editsBefore === edits) shown(schedule);
  } catch (error) {
    showError(error);
  }
  await refreshDrafts();
}

function shown(schedule) {
  if (!schedule) {
    // the form's first values again: another region picked in the header may have none set
    for (const input of [form.time, form.horizon, form.lead, form.limit]) input.value = input.defaultValue;
    form.weekday.selectedIndex = 0;
    form.enabled.checked = true;
    form.status.textContent = "尚未设置：设置后每周自动生成排期草案。";
    return;
  }
  form.weekday.value = String(schedule.weekday);
  form.time.value = schedule.time;
  form.horizon.value = schedule.horizon_days;
  form.lead.value = schedule.lead_days;
  form.limit.value = schedule.time_limit_s;
  form.enabled.checked = schedule.enabled;
  form.status.textContent = schedule.next_moment
    ? `下次生成：${schedule.next_moment.slice(0, 16).replace("T", " ")}`
    : "已停用：不再自动生成草案。";
  // why the last moment made no draft (a clash with a running plan); gone once one is made
  form.lastError.hidden = !schedule.last_error;
  form.lastError.textContent = schedule.last_error
    ? `上次自动排期未成功：${schedule.last_error}（${beijing(schedule.last_error_at)}）`
    : "";
}

/** A UTC moment as Beijing time (UTC+8), "YYYY-MM-DD HH:MM". */
function beijing(iso) {
  const shifted = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  return shifted.toISOString().slice(0, 16).replace("T", " ");
}

async function save(event) {
  event.preventDefault();
  form.error.textContent = "";
  const body = {
    weekday: Number(form.weekday.value),
    time: form.time.value,
    horizon_days: Number(form.horizon.value),
    lead_days: Number(form.lead.value),
    time_limit_s: Number(form.limit.value),
    enabled: form.enabled.checked,
  };
  form.button.disabled = true;
  try {
    shown(await api(`/planning-schedule${query(regionParam())}`, { method: "PUT", body }));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const field = error.problem && error.problem.field;
    form.error.textContent = `未能保存：${error.message}${FIELDS[field] ? `（${FIELDS[field]}）` : ""}`;
  } finally {
    form.button.disabled = false;
  }
}

async function refreshDrafts() {
  let plans;
  try {
    plans = await api(`/plans${query({ origin: "schedule", published: "false", limit: 20, ...regionParam() })}`);
  } catch (error) {
    showError(error);
    return;
  }
  // finished (or stopped with a result) and not replaced by a later publication
  const waiting = plans.filter((p) => DONE_PLAN_STATUSES.has(p.status) && !p.superseded_by);
  const rows = waiting.map((plan) =>
    h(
      "li.draft",
      h("span", `草案 #${plan.id} · ${plan.start} 至 ${plan.end}`),
      h("span.badge", PLAN_STATUS[plan.status] || plan.status),
      h("span.hint", `${plan.scheduled_for} 生成`),
      h("button.draft-review", { type: "button", on: { click: () => review(plan) } }, "审核"),
    ),
  );
  fill(drafts, h("h2", PLAN_DRAFTS), rows.length ? h("ul#draft-list.draft-list", ...rows) : h("p.hint", `暂无${PLAN_DRAFTS}。`));
}
