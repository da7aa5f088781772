// The round dialog's 检查结果 section: each unit's outcome of its part of the visit, a form for
// the signed-in unit's own part (on the visit's day, or back-filled with a reason), and the lead
// unit's 确认已实施. The server decides what may be done (may_record, may_confirm, window).
import { api } from "./api.js";
import { fill, h, showError, toast } from "./dom.js";
import { OUTCOME_NAMES, RECORDING_WINDOWS } from "./labels.js";
import { clearProblems, field, showProblems } from "./rules_forms.js";
import { emit, state } from "./state.js";

const WINDOW_BADGES = { not_yet: "span.badge", on_the_day: "span.badge.good", backfill: "span.badge.warn", closed: "span.badge.bad" };

function summary(outcome) {
  if (!outcome) return [h("span.badge.warn.outcome-status", { dataset: { status: "missing" } }, "未填报")];
  const parts = [
    h(
      outcome.status === "carried_out" ? "span.badge.good.outcome-status" : "span.badge.outcome-status",
      { dataset: { status: outcome.status } },
      OUTCOME_NAMES[outcome.status] || outcome.status,
    ),
  ];
  if (outcome.status !== "carried_out") parts.push(h("span.outcome-reason", `原因：${outcome.reason}`));
  else if (outcome.problems_found) {
    parts.push(h("span.badge.bad", "发现问题"), h("span.outcome-note", outcome.problem_note));
    if (outcome.case_opened) parts.push(h("span.badge.bad", "已立案"));
  } else parts.push(h("span.outcome-note", "未发现问题"));
  if (outcome.backfilled) parts.push(h("span.badge.warn", { title: outcome.backfill_reason }, `补录：${outcome.backfill_reason}`));
  if (outcome.version > 1) parts.push(h("span.hint", `（第 ${outcome.version} 次填报）`));
  return parts;
}

function unitLine(entry) {
  return h(
    "li.outcome-unit",
    { dataset: { unit: entry.unit_id, recorded: String(entry.outcome !== null) } },
    h(entry.lead ? "span.chip.lead" : "span.chip", entry.unit_name),
    " ",
    summary(entry.outcome),
  );
}

function radio(name, value, label, checked) {
  return h("label.check", h("input", { type: "radio", name, value, checked }), label);
}

// the form shows only what applies: a reason unless carried out, problems only when carried
// out, a note and 立案 only when problems were found, a back-fill reason only when late
function outcomeForm(visit, mine, reload) {
  const own = mine.outcome || { status: "carried_out", problems_found: false, reason: "", problem_note: "", case_opened: false, backfill_reason: "" };
  const late = visit.window === "backfill";
  const form = h(
    "form#outcome-form",
    { dataset: { unit: mine.unit_id } },
    h("h4", `填报${mine.unit_name}的检查结果`, late ? h("span.badge.warn", "补录") : null),
    h(
      "fieldset.outcome-statuses",
      { dataset: { field: "status" } },
      h("legend", "检查结果"),
      Object.entries(OUTCOME_NAMES).map(([code, label]) => radio("status", code, label, own.status === code)),
      h("p.field-error", { dataset: { errorFor: "status" }, hidden: true, role: "alert" }),
    ),
    field("未实施或延期的原因", h("textarea#outcome-reason", { maxlength: 500, rows: 2 }, own.reason), "reason"),
    h(
      "fieldset.outcome-problems",
      { dataset: { field: "problems_found" } },
      h("legend", "是否发现问题"),
      radio("problems_found", "no", "未发现问题", own.problems_found !== true),
      radio("problems_found", "yes", "发现问题", own.problems_found === true),
      h("p.field-error", { dataset: { errorFor: "problems_found" }, hidden: true, role: "alert" }),
    ),
    field("问题简述", h("input#outcome-note", { type: "text", maxlength: 500, value: own.problem_note }), "problem_note"),
    h(
      "div.field",
      { dataset: { field: "case_opened" } },
      h("label.check", h("input#outcome-case", { type: "checkbox", checked: own.case_opened }), "已立案"),
      h("p.field-error", { dataset: { errorFor: "case_opened" }, hidden: true, role: "alert" }),
    ),
    late
      ? field(
          `补录原因（检查日期之后补录，${visit.backfill_until} 前有效）`,
          h("textarea#outcome-backfill", { maxlength: 500, rows: 2 }, own.backfill_reason || ""),
          "backfill_reason",
        )
      : null,
    h("p.field-error", { dataset: { errorFor: "form" }, hidden: true, role: "alert" }),
    h("div.toolbar", h("button#outcome-save", { type: "submit" }, mine.outcome ? "更正检查结果" : "提交检查结果")),
  );
  const sync = () => {
    const status = form.querySelector('input[name="status"]:checked')?.value;
    const found = form.querySelector('input[name="problems_found"]:checked')?.value === "yes";
    const carried = status === "carried_out";
    form.querySelector('[data-field="reason"]').hidden = carried;
    form.querySelector(".outcome-problems").hidden = !carried;
    form.querySelector('[data-field="problem_note"]').hidden = !(carried && found);
    form.querySelector('[data-field="case_opened"]').hidden = !(carried && found);
  };
  form.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form);
    const status = form.querySelector('input[name="status"]:checked')?.value;
    const carried = status === "carried_out";
    const found = carried && form.querySelector('input[name="problems_found"]:checked')?.value === "yes";
    const body = {
      status,
      reason: carried ? "" : form.querySelector("#outcome-reason").value,
      problems_found: carried ? found : null,
      problem_note: found ? form.querySelector("#outcome-note").value : "",
      case_opened: found && form.querySelector("#outcome-case").checked,
      backfill_reason: late ? form.querySelector("#outcome-backfill").value : "",
    };
    const button = form.querySelector("#outcome-save");
    button.disabled = true;
    try {
      await api(`/visits/${encodeURIComponent(visit.code)}/outcomes/${encodeURIComponent(mine.unit_id)}`, { method: "PUT", body });
      toast(`已保存${mine.unit_name}的检查结果`, "good");
      emit("outcomes", visit.code);
      await reload();
    } catch (error) {
      button.disabled = false;
      showProblems(form, error);
    }
  });
  return form;
}

function confirmation(visit, reload) {
  if (visit.confirmation) {
    const at = visit.confirmation.confirmed_at.slice(0, 16).replace("T", " ");
    return h("p.outcome-confirmed", h("span.badge.good", "牵头单位已确认实施"), ` ${at}`);
  }
  if (!visit.may_confirm) {
    const lead = visit.units.find((u) => u.lead);
    return h("p.hint.outcome-unconfirmed", `待牵头单位（${lead ? lead.unit_name : visit.lead_unit}）在各单位填报后确认已实施`);
  }
  const button = h("button#outcome-confirm", { type: "button" }, "确认已实施");
  button.addEventListener("click", async () => {
    if (!window.confirm("确认该检查已实施？确认后各单位的检查结果不能再修改。")) return;
    button.disabled = true;
    try {
      await api(`/visits/${encodeURIComponent(visit.code)}/confirmation`, { method: "POST" });
      toast("已确认该检查已实施", "good");
      emit("outcomes", visit.code);
      await reload();
    } catch (error) {
      button.disabled = false;
      showError(error);
    }
  });
  return h("p.outcome-confirm", button, h("span.hint", " 各单位均已填报；确认后结果不能再修改。"));
}

function render(section, visit, reload) {
  const mine = state.me.role === "unit" ? visit.units.find((u) => u.unit_id === state.me.unit_id) : null;
  const badge = WINDOW_BADGES[visit.window] || "span.badge";
  fill(
    section,
    h(
      "h3",
      "检查结果 ",
      h(`${badge}.outcome-window`, { dataset: { window: visit.window } }, RECORDING_WINDOWS[visit.window] || visit.window),
    ),
    h("p.hint", `检查日当天起填报；之后补录须说明原因，截止 ${visit.backfill_until}。`),
    h("ul.outcome-units", visit.units.map(unitLine)),
    confirmation(visit, reload),
    mine && visit.may_record ? outcomeForm(visit, mine, reload) : null,
  );
  section.dataset.status = "ready";
}

/** The 检查结果 section of a published round with an inspection code (null otherwise); it
 * fills itself from GET /visits/{code}/outcomes. */
export function outcomeSection(round, stillOpen) {
  if (!round.code || !round.published) return null;
  const section = h("section#round-outcomes.round-outcomes", { dataset: { status: "loading", code: round.code } }, h("h3", "检查结果"), h("p.hint", "正在加载…"));
  const reload = async () => {
    try {
      const visit = await api(`/visits/${encodeURIComponent(round.code)}/outcomes`);
      if (stillOpen()) render(section, visit, reload);
    } catch (error) {
      if (!stillOpen()) return;
      fill(section, h("h3", "检查结果"), h("p.error", { role: "alert" }, error.message));
      section.dataset.status = "error";
    }
  };
  reload();
  return section;
}
