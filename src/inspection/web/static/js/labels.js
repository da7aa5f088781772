// Every code the server sends, named once for the desk: plan states, solver outcomes, reason
// codes, checklist states and types, roles and the figures' metrics. A test reads this file
// against the server's enums (tests/desk/test_labels.py): a code without a label here fails it.

/** Plan states (services/planning/models.py, PlanStatus). */
export const PLAN_STATUS = {
  queued: "排队中",
  running: "求解中",
  storing: "正在保存结果",
  finished: "已完成",
  stopped: "已停止",
  failed: "失败",
};

/** States in which a plan still has a worker: it may be stopped, not yet published. */
export const ACTIVE_PLAN_STATUSES = new Set(["queued", "running"]);

/** States in which a plan has rounds: it may be exported and published. */
export const DONE_PLAN_STATUSES = new Set(["finished", "stopped"]);

/** The solver's verdict on a finished plan (solver/schema.py, SolveStatus). */
export const SOLVER_STATUS = {
  optimal: "已证明最优",
  feasible: "可行，未证明最优",
  stopped: "提前结束，保留了已找到的最好排期",
  infeasible: "已发布的轮次相互冲突，无法排期",
};

/** Why a request was left out (solver/reason_codes.py, ReasonCode); the server sends the sentence. */
export const REASONS = {
  WINDOW_OUTSIDE_HORIZON: "窗口不在计划期内",
  NO_WORKING_DAY_IN_WINDOW: "窗口内无工作日",
  BLACKOUT_COVERS_WINDOW: "企业不接受检查",
  UNIT_DAYS_OFF: "单位休息日",
  PINNED_ROUNDS_FILL_WINDOW: "已发布轮次占满",
  UNIT_CAPACITY_FULL: "单位检查能力已满",
  ROUND_FULL: "联合检查单位数已满",
  ENTERPRISE_DAY_TAKEN: "企业当日已有检查",
  NO_FREE_SLOT: "没有可安排的日期",
  PINNED_ROUNDS_CONFLICT: "已发布轮次冲突",
  QUIET_DAY: "宁静日",
  NO_DISTURB: "无事不扰",
  CAP_REACHED: "检查次数已达上限",
  NO_OFFICER: "无可派执法人员",
};

/** Checklist states (services/checklists/models.py, ChecklistStatus): [label, badge kind]. */
export const CHECKLIST_STATUS = {
  draft: ["待审批", "warn"],
  approved: ["已批准", ""],
  withdrawn: ["已撤回", "warn"],
};

/** Case-driven kinds of check (services/checklists/models.py, CASE_DRIVEN_TYPES): planned while
 * still drafts, approved afterwards (事后补批). */
export const CASE_DRIVEN_TYPES = new Set(["complaint", "referral"]);

/** Who approves a unit's checklists (a unit key issued with `unit_head`). */
export const UNIT_HEAD = "单位负责人";

/** Kinds of check, as the spreadsheets name them (services/spreadsheets/checklists.py). */
export const INSPECTION_TYPES = {
  routine: "日常",
  complaint: "投诉",
  special: "专项",
  referral: "转办交办",
  follow_up: "整改复查",
  licence: "许可核查",
  safety: "安全生产",
};

/** The conventional risk and credit grades (services/reference/classes.py, RiskClass); a rule's
 * own grades (红/橙/黄/蓝, …) are shown as written. */
export const RISK_CLASSES = {
  A: "A 级",
  B: "B 级",
  C: "C 级",
  D: "D 级",
};

/** Where a random draw stands (services/draws/models.py, DrawState). */
export const DRAW_STATES = {
  committed: "已公布承诺值，待抽取",
  revealed: "已抽取",
};

/** The class of the enterprises the register gives no risk class (services/draws/models.py). */
export const UNGRADED = "未分级";

/** The reason codes the district's rules give, in the order the planning view lists them. */
export const RULE_REASONS = ["QUIET_DAY", "NO_DISTURB", "CAP_REACHED", "NO_OFFICER"];

/** Why an officer must not inspect an enterprise (services/officers/models.py, RecusalKind). */
export const RECUSAL_KINDS = {
  conflict: "本人申报利益冲突",
  requested: "企业申请回避",
};

/** Levels of a catalogue item (services/catalogue/models.py, ItemLevel). */
export const ITEM_LEVELS = {
  national: "国家级",
  provincial: "省级",
  city: "市级",
  county: "县级",
};

/** Categories of a catalogue item (services/catalogue/models.py, ItemCategory). */
export const ITEM_CATEGORIES = {
  routine: "日常",
  special: "专项",
};

/** States of a catalogue item's revision (services/catalogue/models.py, ItemState): [label, badge kind]. */
export const ITEM_STATES = {
  draft: ["草稿", "warn"],
  published: ["已公布", "good"],
  retired: ["已停用", ""],
};

/** Whom a yearly cap limits (services/rules/caps.py, CapScope). */
export const CAP_SCOPE = {
  unit: "单位上限",
  enterprise: "各单位合计",
};

/** Roles (services/access.py, ROLE_NAMES). */
export const ROLE_NAMES = {
  unit: "执法单位",
  coordinator: "协调人",
  auditor: "督察人员",
  admin: "管理员",
};

/** The figures (services/figures/names.py, METRICS, by VisitFigures field): [name, meaning]. */
export const METRICS = {
  requests: ["请求次数", "各单位要求入企检查的次数（已排入已发布排期的检查）。"],
  rounds: ["实际入企轮次", "已公布的进企业门的次数，每轮一次；按执法单位统计时为该单位牵头的轮次。"],
  visits_saved: ["减少入企次数", "合并检查少进企业门的次数：已实施的轮次按已实施的请求计，未实施的轮次计 0，其余轮次按已公布计（请求次数 − 1）；尚无检查结果时等于请求次数 − 实际入企轮次。"],
  announced_visits_saved: ["减少入企次数（按已公布）", "请求次数 − 实际入企轮次，按已发布排期计，不看检查结果。"],
  merged_share: ["合并比例", "与其他检查同一轮进行的请求占全部请求的比例。"],
  joint_rounds: ["多部门联合检查", "两个及以上执法单位同去的轮次；按执法单位统计时为该单位牵头的。"],
  checklists: ["已安排检查的清单", "有检查排入已发布排期的清单份数，每份只在首次入企时计一次。"],
  rounds_carried_out: ["已实施轮次", "牵头单位已确认实施、且至少一个单位已实施的轮次；按执法单位统计时计在该轮的计数请求上。"],
  requests_carried_out: ["已实施请求次数", "已实施轮次中，本单位检查结果为“已实施”的请求次数。"],
  carried_out_visits_saved: ["减少入企次数（按已实施）", "已实施请求次数 − 已实施轮次。"],
  rounds_awaiting_confirmation: ["待确认轮次", "已有单位登记检查结果、尚待牵头单位确认实施的轮次。"],
  rounds_not_carried_out: ["未实施轮次", "各单位均登记为“未实施”或“延期”的轮次，不计减少入企次数。"],
  rounds_without_outcome: ["尚无结果轮次", "已公布、尚无任何单位登记检查结果的轮次。"],
  unit_parts_carried_out: ["已实施单位检查", "已实施轮次中各单位已实施的检查，每个检查码每个单位计一次。"],
  unit_parts_with_problems: ["发现问题的单位检查", "已实施单位检查中登记“发现问题”的次数。"],
  problem_rate: ["发现问题率", "发现问题的单位检查 ÷ 已实施单位检查（按已实施）；没有已实施的检查时不显示。"],
  cases_opened: ["立案数", "已实施单位检查中登记已立案的次数。"],
};

/** What the headline visits saved counts (services/figures/names.py, BASIS_NAMES; a figures
 * answer's `basis`): announced rounds only, what was carried out, or each round by what is known. */
export const FIGURE_BASIS = {
  announced: "按已公布",
  carried_out: "按已实施",
  mixed: "已实施的按已实施，其余按已公布",
};

/** Where a live round stands (services/figures/carried_out.py, RoundState; ROUND_STATE_NAMES). */
export const ROUND_STATES = {
  announced: "已公布",
  awaiting_confirmation: "待确认",
  carried_out: "已实施",
  not_carried_out: "未实施",
};

/** The annual report's figures (services/figures/names.py, REPORT_FIGURES): [name, meaning]. */
export const REPORT_FIGURES = {
  checklists_drawn_up: ["制定的检查清单", "当年提交（未撤回）、检查时间窗口在当年的检查清单份数。"],
  joint_inspections: ["多部门联合检查", "两个及以上执法单位同去的轮次；按执法单位统计时为该单位牵头的。"],
  rounds: ["实际入企轮次", "已公布的进企业门的次数，每轮一次；按执法单位统计时为该单位牵头的轮次。"],
  requests: ["请求次数", "各单位要求入企检查的次数（已排入已发布排期的检查）。"],
  visits_saved: ["减少入企次数", "合并检查少进企业门的次数：已实施的轮次按已实施的请求计，未实施的轮次计 0，其余轮次按已公布计（请求次数 − 1）；尚无检查结果时等于请求次数 − 实际入企轮次。"],
  enterprises_covered: ["覆盖企业", "当年有已发布检查的企业家数。"],
  units_taking_part: ["参与执法单位", "当年有检查排入已发布排期的执法单位个数。"],
  merged_share: ["合并比例", "与其他检查同一轮进行的请求占全部请求的比例。"],
  rounds_carried_out: ["已实施轮次", "牵头单位已确认实施、且至少一个单位已实施的轮次；按执法单位统计时计在该轮的计数请求上。"],
  unit_parts_carried_out: ["已实施单位检查", "已实施轮次中各单位已实施的检查，每个检查码每个单位计一次。"],
  problem_rate: ["发现问题率", "发现问题的单位检查 ÷ 已实施单位检查（按已实施）；没有已实施的检查时不显示。"],
};

/** Kinds of repeat warning (services/figures/alerts.py, AlertKind). */
export const ALERT_KINDS = {
  repeat: "重复检查",
  missed_join: "可合并未合并",
};

/** The repeat warnings' window in days (services/figures/alerts.py): its default and range. */
export const ALERT_WINDOW_DAYS = { default: 60, min: 1, max: 366 };

/** What a unit's part of a visit came to (services/reference/outcomes.py, OUTCOME_NAMES). */
export const OUTCOME_NAMES = {
  carried_out: "已实施",
  not_carried_out: "未实施",
  postponed: "延期",
};

/** Where a visit stands for recording its outcome (services/outcomes/window.py). */
export const RECORDING_WINDOWS = {
  not_yet: "未到检查日期",
  on_the_day: "当日填报",
  backfill: "补录期",
  closed: "补录期限已过",
};

/** The back-fill window of outcomes in days (rule settings' outcome_backfill_days). */
export const OUTCOME_BACKFILL_DAYS = { default: 10, min: 0, max: 30 };
/** The enterprise's scores of a visit (services/ratings/models.py, SCORE_NAMES). */
export const RATING_SCORES = {
  5: "很满意",
  4: "满意",
  3: "一般",
  2: "不满意",
  1: "很不满意",
};

/** A unit sees its ratings' aggregate only over this many (MIN_RATINGS_FOR_UNITS), and 不足5条 below. */
export const RATINGS_FOR_UNITS = { min: 5, too_few: "不足5条" };

/** A plan by its real state: a draft (with its run's state), published, or replaced since. */
export function planLabel(plan) {
  if (plan.published && plan.superseded_by) return `排期 #${plan.id}（已被 #${plan.superseded_by} 取代）`;
  if (plan.published) return `排期 #${plan.id}（已发布）`;
  return `草案 #${plan.id}（${PLAN_STATUS[plan.status] || plan.status}）`;
}

/** The time limit a plan may be given, in seconds (PlanCreate.time_limit_s). */
export const PLAN_TIME_LIMIT_S = { min: 1, max: 3600 };

/** The planning view's card of capacity shares (GET /plans/{id}/capacity-shares). */
export const CAPACITY_SHARES = {
  title: "跨区单位能力分配",
  hint: "在多个区县工作的单位，当日可用能力（周工作能力减去其他区县已发布的检查和休息日）按各区县的需求分配。",
  by_demand: "按需求",
  available: "当日可用",
  rounds: "轮",
};

/** A district part's states (services/planning/parts.py, PartStatus): [label, badge kind]. */
export const PART_STATUS = {
  queued: ["排队中", ""],
  running: ["求解中", ""],
  finished: ["已完成", "good"],
  stopped: ["已停止", "warn"],
  failed: ["失败", "bad"],
};

/** States in which a part has stored its plan: the merge can use it (parts.py, ENDED_PARTS). */
export const ENDED_PART_STATUSES = new Set(["finished", "stopped"]);

/** The planning view's card of a city's or province's plan solved by district (GET /plans/{id}/parts). */
export const PLAN_PARTS = {
  title: "分区县求解",
  hint: "市、省的排期按区县分别求解（跨区单位按各区县的能力分配），全部区县完成后合并为一个排期。",
  columns: ["区县", "状态", "请求数", "进度", "用时"],
  ended: "个区县已完成",
  rounds: "轮",
  bound: "下界",
  no_bound: "下界尚未求得",
  relaxed: "（放宽）",
  relaxed_hint: "已结束区县的下界按跨区单位在本区县的全部剩余能力求得（各区县之和是整个排期的下界），可能高于本区县按份额排出的轮次。",
  no_figures: "尚无结果",
  seconds: "秒",
  limit: "时限",
  attempt: "次求解",
  shared: "含跨区单位",
};

/** Who started a plan (services/planning/models.py, PlanOrigin). */
export const PLAN_ORIGIN = {
  manual: "手动排期",
  schedule: "每周自动排期",
};

/** The days of a weekly schedule, 0 = Monday (services/planning/schedule.py, weekday). */
export const WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];

/** A weekly schedule's bounds in days (ScheduleUpdate.horizon_days and lead_days). */
export const SCHEDULE_DAYS = { horizon: 92, lead: 14 };

/** Region levels (services/regions/models.py, LEVEL_NAMES). */
export const REGION_LEVELS = {
  district: "区县",
  city: "地市",
  province: "省",
};

/** The header's region picker: the region the planning views work on (a key covering several). */
export const REGION_PICKER = "工作区域";

/** The scheduled drafts waiting for review (the server's DRAFTS_LABEL, services/planning/schedule.py). */
export const PLAN_DRAFTS = "待审核的草案";
