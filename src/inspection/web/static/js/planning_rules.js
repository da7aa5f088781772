// The rules' effect on a plan: per rule, how many requests it kept out (0 too), and for the
// quiet days the rules in force over the plan's days.
import { api, query } from "./api.js";
import { h } from "./dom.js";
import { REASONS, RULE_REASONS } from "./labels.js";

async function quietDaysOf(plan) {
  try {
    return await api(`/rules/quiet-days/calendar${query({ from: plan.start, to: plan.end })}`);
  } catch {
    return null; // a horizon past the calendar's range: the count still stands
  }
}

function quietNote(quiet) {
  if (quiet === null) return "";
  if (quiet.length === 0) return "计划期内没有宁静日";
  const days = new Set(quiet.map((q) => q.day));
  const names = [...new Set(quiet.map((q) => q.rule_name))];
  return `计划期内 ${days.size} 天为宁静日（${names.join("、")}）`;
}

/** The card: one line per rule's reason code, with the requests it kept out of the plan. */
export async function rulesCard(plan, unscheduled) {
  const quiet = await quietDaysOf(plan);
  const counts = new Map(RULE_REASONS.map((code) => [code, 0]));
  for (const u of unscheduled) if (counts.has(u.code)) counts.set(u.code, counts.get(u.code) + 1);
  const kept = [...counts.values()].reduce((a, b) => a + b, 0);
  return h(
    "section#plan-rules-card.card",
    h("h3", "规则的影响"),
    h("p.hint", kept ? `依规则未排入 ${kept} 项请求；其余未排入的原因见下表。` : "本排期没有请求因规则而未排入。"),
    h(
      "ul#plan-rules.plan-rules",
      [...counts].map(([code, count]) =>
        h(
          "li.plan-rule",
          { dataset: { code, count } },
          h("span", REASONS[code]),
          h(`span.plan-rule-count${count ? ".warn" : ""}`, `${count} 项`),
          code === "QUIET_DAY" && h("span.hint", quietNote(quiet)),
        ),
      ),
    ),
  );
}
