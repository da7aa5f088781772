// A finished plan on the planning view: its figures, rounds, left-out requests, the change it
// makes to what is announced, and publishing it.
import { api, ApiError, query } from "./api.js";
import { addDays, dayLabel, h, mondayOf, percent, showError, stackOnPhone, toast } from "./dom.js";
import { METRICS, PLAN_STATUS, planLabel, REASONS, SOLVER_STATUS } from "./labels.js";
import { emit, setSource, state, unitName } from "./state.js";
import { rulesCard } from "./planning_rules.js";
import { sharesCard } from "./planning_shares.js";

/** The results of a finished or stopped plan, read from the API. */
export async function buildResults(plan) {
  const [rounds, unscheduled, diff, live, shares] = await Promise.all([
    api(`/plans/${plan.id}/rounds`),
    api(`/plans/${plan.id}/unscheduled`),
    api(`/plans/${plan.id}/diff`),
    api(`/rounds${query({ from: plan.start, to: plan.end })}`),
    sharesCard(plan),
  ]);
  // the diff names enterprises by credit code: the plan and the announced rounds know their names
  const names = new Map([...live, ...rounds].map((r) => [r.enterprise, r.enterprise_name]));
  const nothingBefore = plan.published
    ? diff.kept.length + diff.removed.length + diff.joined.length === 0
    : live.length === 0;
  return [
    statisticsCard(plan, rounds),
    publishCard(plan),
    roundsCard(plan, rounds),
    shares,
    await rulesCard(plan, unscheduled),
    unscheduledCard(unscheduled),
    diffCard(plan, diff, names, nothingBefore),
  ];
}

function statisticsCard(plan, rounds) {
  const s = plan.statistics;
  if (!s) return h("section.card", h("p.empty", "该排期没有统计数据。"));
  const joint = rounds.filter((r) => r.units.length >= 2).length;
  const bound = Math.max(s.rounds_lower_bound, s.rounds_lower_bound_proven);
  const stat = (key, label, value, hint) =>
    h("div.plan-stat", { dataset: { stat: key } }, h("dt", label), h("dd", String(value)), hint && h("p.hint", hint));
  return h(
    "section#plan-stats.card",
    h("h3", "排期结果 ", h(`span.badge.${plan.status === "finished" ? "good" : "warn"}`, PLAN_STATUS[plan.status])),
    h("p.hint", SOLVER_STATUS[plan.solver_status] || plan.solver_status || ""),
    h(
      "dl.plan-stats",
      stat("rounds", METRICS.rounds[0], s.rounds, "本排期进企业门的次数，每轮一次"),
      stat("joint", METRICS.joint_rounds[0], joint, "两个及以上执法单位同去的轮次"),
      stat("scheduled", "排入的请求", `${s.scheduled_requests} / ${s.requests}`, "已排入 / 计划期内的全部请求"),
      stat("unscheduled", "未排入的请求", s.requests - s.scheduled_requests, null),
      stat("saved", METRICS.visits_saved[0], s.visits_saved, `排入的请求数 − ${METRICS.rounds[0]}`),
      stat("priority", "优先级得分", `${s.scheduled_priority} / ${s.total_priority}`, `上限 ${s.priority_upper_bound}`),
      stat("bound", "轮次下界", bound, `与下界相差 ${percent(s.rounds_gap)}`),
    ),
  );
}

function publishCard(plan) {
  let current = plan;
  const error = h("p#plan-publish-error.error", { role: "alert" });
  const publish = h("button#plan-publish", { type: "button" }, plan.published ? "已发布" : "发布排期");
  const yes = h("button#plan-publish-yes.danger", { type: "button" }, "确认发布");
  const cancel = h("button#plan-publish-cancel.secondary", { type: "button" }, "取消");
  const confirm = h(
    "div#plan-publish-confirm.plan-confirm",
    { hidden: true, role: "alertdialog", "aria-label": "确认发布" },
    h(
      "p",
      `发布后，排期 #${plan.id} 的检查轮次成为正式安排，替换计划期内已发布的轮次，`,
      "并出现在各执法单位的周视图和日历订阅中。系统不会通知企业，请另行告知。",
      "发布不能撤销，确定要发布吗？",
    ),
    h("div.plan-actions", yes, cancel),
  );
  publish.disabled = plan.published;
  publish.addEventListener("click", () => {
    error.textContent = "";
    confirm.hidden = false;
    publish.disabled = true;
    yes.focus();
  });
  cancel.addEventListener("click", () => {
    confirm.hidden = true;
    publish.disabled = false;
  });
  yes.addEventListener("click", async () => {
    yes.disabled = cancel.disabled = true;
    try {
      current = await api(`/plans/${plan.id}/publish`, { method: "POST" });
    } catch (failure) {
      confirm.hidden = true;
      yes.disabled = cancel.disabled = false;
      if (!(failure instanceof ApiError)) throw failure;
      error.textContent = `发布被拒绝：${failure.message}`;
      publish.disabled = failure.status === 409; // a stale plan stays stale: plan again
      showError(failure);
      return;
    }
    confirm.hidden = true;
    publish.textContent = "已发布";
    toast(`排期 #${plan.id} 已发布`, "good");
    emit("published", current);
  });
  const toWeek = h(
    "button#plan-view-week.secondary",
    {
      type: "button",
      on: {
        click: () => {
          state.weekStart = mondayOf(current.start);
          setSource(current.published ? "published" : current.id);
          document.querySelector('#tabs [data-view="week"]')?.click();
        },
      },
    },
    "在周视图中查看",
  );
  return h(
    "section.card.plan-publish",
    h("div.plan-actions", publish, toWeek),
    confirm,
    error,
    h("p.hint", "发布前可在周视图中查看草案；发布后各单位即可在周视图、导出和日历订阅中看到这些轮次。"),
  );
}

function unitChips(round) {
  const others = round.units.filter((u) => u !== round.lead_unit);
  return [
    h("span.chip.lead", { title: "牵头单位" }, `${unitName(round.lead_unit)}（牵头）`),
    others.map((u) => h("span.chip", unitName(u))),
  ];
}

function roundsCard(plan, rounds) {
  let previous = null;
  const rows = rounds.map((round) => {
    const first = round.date !== previous;
    previous = round.date;
    return h(
      `tr.plan-round${first ? ".day-start" : ""}`,
      { dataset: { roundId: round.id, date: round.date, enterprise: round.enterprise } },
      h("td.plan-date", dayLabel(round.date)),
      h("td", round.enterprise_name),
      h("td", round.town),
      h("td", unitChips(round)),
      h("td", { title: round.items.join("、") }, `${round.items.length} 项`),
    );
  });
  return h(
    "section.card",
    h("h3#plan-rounds-title", `${plan.published ? planLabel(plan) : "草案"}中的检查轮次（${rounds.length} 轮）`),
    h(
      "div.table-wrap",
      stackOnPhone(
        h(
          "table#plan-rounds",
          h("thead", h("tr", ["日期", "企业", "镇街", "参加单位", "检查事项"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", rows),
        ),
      ),
    ),
    rounds.length === 0 && h("p.empty", "该排期没有任何检查轮次。"),
  );
}

function unscheduledCard(unscheduled) {
  const body =
    unscheduled.length === 0
      ? h("p.empty.plan-all-in", "全部请求均已排入。")
      : h(
          "div.table-wrap",
          stackOnPhone(
            h(
              "table",
              h(
                "thead",
                h("tr", ["检查清单", "企业", "执法单位", "原因", "说明"].map((t) => h("th", { scope: "col" }, t))),
              ),
              h(
                "tbody",
                unscheduled.map((u) =>
                  h(
                    "tr.plan-unscheduled",
                    { dataset: { requestId: u.request_id, checklistId: u.checklist_id, code: u.code } },
                    h("td.plan-unscheduled-checklist", { title: `请求 #${u.request_id}` }, u.checklist_title),
                    h("td.plan-unscheduled-enterprise", u.enterprise_name),
                    h("td.plan-unscheduled-unit", unitName(u.unit_id)),
                    h("td", h("span.badge.warn", REASONS[u.code] || u.code)),
                    h("td", u.reason),
                  ),
                ),
              ),
            ),
          ),
        );
  return h(
    "section.card",
    h("h3", `未排入的请求（${unscheduled.length} 项）`),
    h("div#plan-unscheduled", body),
  );
}

function diffList(kind, label, list, names) {
  return h(
    `details.plan-diff-list`,
    { dataset: { diff: kind } },
    h("summary", `${label} ${list.length} 轮`),
    list.length === 0
      ? h("p.empty", "无")
      : h(
          "ul",
          list.map((r) =>
            h("li", `${dayLabel(r.date)} · ${names.get(r.enterprise) || r.enterprise}（${r.requests.length} 项请求）`),
          ),
        ),
  );
}

// announced rounds that late requests joined: same day and lead unit, more units or checks
function joinedList(joined, names) {
  return h(
    "details.plan-diff-list",
    { dataset: { diff: "joined" }, open: joined.length > 0 },
    h("summary", `加入已发布轮次 ${joined.length} 轮`),
    joined.length === 0
      ? h("p.empty", "无")
      : h(
          "ul",
          joined.map((r) =>
            h(
              "li.plan-diff-joined",
              { dataset: { enterprise: r.enterprise, date: r.date } },
              `${dayLabel(r.date)} · ${names.get(r.enterprise) || r.enterprise}：`,
              r.joined_units.length > 0
                ? `新加入 ${r.joined_units.map(unitName).join("、")}`
                : "原有单位增加检查",
              `（新增 ${r.joined_requests.length} 项请求，共 ${r.requests.length} 项）`,
            ),
          ),
        ),
  );
}

// enterprises the plan visits again in its horizon: the door opens twice, so say so
function secondRounds(list, names) {
  if (list.length === 0) return null;
  return h(
    "div#plan-diff-second.plan-diff-second",
    { role: "note" },
    h("p", h("span.badge.warn", "再次入企"), ` ${list.length} 家企业在计划期内将被检查不止一次：`),
    h(
      "ul",
      list.map((s) =>
        h(
          "li",
          { dataset: { enterprise: s.enterprise } },
          `${names.get(s.enterprise) || s.enterprise}：${s.dates.map(dayLabel).join("、")}`,
          `（新增 ${s.added.map(dayLabel).join("、")}）`,
        ),
      ),
    ),
  );
}

function diffCard(plan, diff, names, nothingBefore) {
  const week = mondayOf(plan.start) === plan.start && addDays(plan.start, 6) === plan.end;
  const count = (kind, label, list) =>
    h("span.plan-diff-count", { dataset: { diff: kind } }, `${label} `, h("strong", String(list.length)));
  return h(
    "section#plan-diff.card",
    h("h3", "与已发布排期的对比"),
    nothingBefore &&
      h(
        "p.empty.plan-diff-none",
        plan.published
          ? `排期 #${plan.id} 发布前，${week ? "本周" : "计划期内"}没有已发布的排期：它的轮次都是新增的。`
          : `${week ? "本周" : "计划期内"}尚无已发布的排期，发布后全部轮次均为新增。`,
      ),
    h(
      "p.plan-diff-counts",
      count("kept", "保留", diff.kept),
      count("joined", "加入", diff.joined),
      count("added", "新增", diff.added),
      count("removed", "取消", diff.removed),
    ),
    secondRounds(diff.second_rounds, names),
    joinedList(diff.joined, names),
    diffList("added", "新增", diff.added, names),
    diffList("removed", "取消", diff.removed, names),
    diffList("kept", "保留", diff.kept, names),
    h(
      "p.hint",
      "保留：企业、日期和所含请求都不变的轮次；加入：已发布的轮次日期和牵头单位不变，新的检查加入其中，",
      "发布后新加入的单位和原有单位的日历订阅都会更新；取消的轮次若已通知企业，发布后需另行告知。",
    ),
  );
}
