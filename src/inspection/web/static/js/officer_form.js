// Adding or editing one officer (with days off and recusals), and importing a roster file.
import { api, download } from "./api.js";
import { fill, h, showError, toast } from "./dom.js";
import { RECUSAL_KINDS } from "./labels.js";
import { isRole, state, unitName } from "./state.js";

function field(label, input, name) {
  return h("label.field", { dataset: { field: name } }, label, input, h("span.error.field-problem"));
}

function showProblem(form, error) {
  for (const box of form.querySelectorAll(".field-problem")) box.textContent = "";
  const name = error.problem?.field || "";
  const top = name.split(/[.[]/)[0];
  const box = form.querySelector(`[data-field="${top}"] .field-problem`);
  if (box) box.textContent = error.message;
  else showError(error);
}

function daysOf(text) {
  return text
    .split(/[、，,；;\s]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

/**
 * The form for a new officer (`officer` null) or an existing one; `onSaved(officer)` after a
 * save (a recusal added or lifted included), `onClose()` to put it away.
 */
export function officerForm(officer, onSaved, onClose) {
  const isNew = officer === null;
  const unit = isRole("coordinator")
    ? h(
        "select",
        { name: "unit_id", required: true, disabled: !isNew },
        state.units.map((u) => h("option", { value: u.id, selected: officer?.unit_id === u.id }, u.name)),
      )
    : h("input", { name: "unit_id", value: state.me.unit_id, readonly: true });
  const name = h("input", { name: "name", required: true, maxlength: 100, value: officer?.name || "" });
  const badge = h("input", {
    name: "badge_number",
    required: true,
    maxlength: 32,
    pattern: "[A-Za-z0-9\\-]+",
    value: officer?.badge_number || "",
    placeholder: "例如 44180020240031",
  });
  const expires = h("input", {
    name: "certificate_expires",
    type: "date",
    required: true,
    value: officer?.certificate_expires || "",
  });
  const days = h("input", {
    name: "days_off",
    value: (officer?.days_off || []).join("、"),
    placeholder: "例如 2024-04-10、2024-04-11",
  });
  const active = h("input", { name: "active", type: "checkbox", checked: officer ? officer.active : true });
  const form = h(
    "form#officer-form",
    { on: { submit: (event) => save(event) } },
    h("div.officer-fields", [
      field("执法单位", unit, "unit_id"),
      field("姓名", name, "name"),
      field("执法证号", badge, "badge_number"),
      field("证件有效期至", expires, "certificate_expires"),
      field("休息日期（用“、”分隔）", days, "days_off"),
      h("label.field.check", active, " 在岗（取消勾选即停用，记录保留）"),
    ]),
    h(
      "div.toolbar",
      h("button#officer-save", { type: "submit" }, isNew ? "新增" : "保存修改"),
      h("button.secondary", { type: "button", on: { click: onClose } }, "关闭"),
    ),
  );

  async function save(event) {
    event.preventDefault();
    const core = {
      name: name.value.trim(),
      badge_number: badge.value.trim(),
      certificate_expires: expires.value,
      active: active.checked,
    };
    try {
      let saved;
      if (isNew) {
        saved = await api("/officers", {
          method: "POST",
          body: { ...core, unit_id: unit.value, days_off: daysOf(days.value) },
        });
      } else {
        await api(`/officers/${officer.id}`, { method: "PUT", body: core });
        saved = await api(`/officers/${officer.id}/days-off`, { method: "PUT", body: { days: daysOf(days.value) } });
      }
      await onSaved(saved);
    } catch (error) {
      showProblem(form, error);
    }
  }

  return h(
    "section.card.officer-editor",
    h("h2", isNew ? "新增执法人员" : `修改：${officer.name}（${unitName(officer.unit_id)}）`),
    form,
    isNew ? null : recusals(officer, onSaved),
    isNew || !isRole("unit", "coordinator") ? null : feedLink(officer),
  );
}

// the officer's own calendar (the rounds they are drawn for): a token shown once, in a link
function feedLink(officer) {
  const out = h("p.hint#officer-feed-url", { hidden: true });
  const issue = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const issued = await api(`/officers/${officer.id}/feed`, { method: "POST" });
      fill(out, "订阅链接（只显示这一次，请复制到日历应用）：", h("code", issued.url));
      out.hidden = false;
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  };
  return h(
    "div.officer-feed",
    h("h3", "个人日历"),
    h("p.hint", "本人被抽中参加的已发布检查；链接中的令牌只能读取本人的日历。"),
    h("button#officer-feed.secondary", { type: "button", on: { click: issue } }, "签发个人日历订阅链接"),
    out,
  );
}

function recusals(officer, onSaved) {
  const code = h("input", { name: "credit_code", required: true, maxlength: 18, placeholder: "统一社会信用代码" });
  const kind = h(
    "select",
    { name: "kind" },
    Object.entries(RECUSAL_KINDS).map(([value, label]) => h("option", { value }, label)),
  );
  const reason = h("input", { name: "reason", maxlength: 500, placeholder: "理由（可不填）" });
  const form = h(
    "form#recusal-form.toolbar",
    {
      on: {
        submit: async (event) => {
          event.preventDefault();
          try {
            const saved = await api(`/officers/${officer.id}/recusals`, {
              method: "POST",
              body: { credit_code: code.value.trim(), kind: kind.value, reason: reason.value.trim() },
            });
            await onSaved(saved);
          } catch (error) {
            showProblem(form, error);
          }
        },
      },
    },
    field("回避企业", code, "credit_code"),
    field("回避类型", kind, "kind"),
    field("理由", reason, "reason"),
    h("button#recusal-add", { type: "submit" }, "添加回避"),
  );
  const remove = async (credit) => {
    try {
      const saved = await api(`/officers/${officer.id}/recusals/${credit}`, { method: "DELETE" });
      await onSaved(saved);
    } catch (error) {
      showError(error);
    }
  };
  return h(
    "div.officer-recusals",
    h("h3", "回避企业"),
    officer.recusals.length === 0
      ? h("p.hint", "没有回避企业。")
      : h(
          "ul",
          officer.recusals.map((r) =>
            h(
              "li",
              { dataset: { code: r.credit_code } },
              `${r.enterprise_name}（${r.credit_code}）· ${RECUSAL_KINDS[r.kind] || r.kind}`,
              r.reason ? ` · ${r.reason}` : "",
              " ",
              h("button.secondary", { type: "button", on: { click: () => remove(r.credit_code) } }, "撤销回避"),
            ),
          ),
        ),
    form,
  );
}

/** The roster import card; `onImported` reloads the list. */
export function rosterImportCard(onImported) {
  const file = h("input#roster-file", { type: "file", name: "file", accept: ".xlsx,.csv", required: true });
  const result = h("p#roster-result.hint", { hidden: true, role: "status" });
  const errors = h("div#roster-errors", { hidden: true, role: "alert" });
  const template = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await download("/officers/template.xlsx", "执法人员名册模板.xlsx");
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  };
  const submit = async (event) => {
    event.preventDefault();
    const body = new FormData();
    body.append("file", file.files[0]);
    result.hidden = true;
    try {
      const done = await api("/officers/import", { method: "POST", form: body });
      errors.hidden = true;
      fill(errors);
      event.target.reset();
      result.textContent = `导入完成：新增 ${done.created.length} 人，按执法证号更新 ${done.updated.length} 人。`;
      result.hidden = false;
      toast(result.textContent, "good");
      await onImported();
    } catch (error) {
      const rows = Array.isArray(error.problem?.errors) ? error.problem.errors : [];
      errors.hidden = false;
      fill(
        errors,
        h("p.error", `导入失败：${rows.length ? `文件中共有 ${rows.length} 处错误，未导入任何人员。` : error.message}`),
        rows.length
          ? h(
              "div.table-wrap",
              h(
                "table#roster-error-table",
                h("thead", h("tr", h("th.num", "行号"), h("th", "列"), h("th", "问题"))),
                h(
                  "tbody",
                  rows.map((e) =>
                    h("tr", { dataset: { row: e.row, column: e.column } }, h("td.num", String(e.row)), h("td", e.column), h("td", e.problem)),
                  ),
                ),
              ),
            )
          : null,
      );
    }
  };
  return h(
    "section.card.import",
    h("h2", "导入执法人员名册"),
    h(
      "p.hint",
      "列：执法单位编号、姓名、执法证号、证件有效期至、休息日期、回避企业（多个用“、”分隔）。",
      "执法证号已登记的，按文件更新该人员；文件中任何一处有错，整个文件都不会导入。",
    ),
    h("div.toolbar", h("button#roster-template.secondary", { type: "button", on: { click: template } }, "下载 Excel 模板")),
    h(
      "form#roster-import.toolbar",
      { on: { submit } },
      h("label", "选择文件（.xlsx 或 .csv）", file),
      h("button#roster-submit", { type: "submit" }, "导入"),
    ),
    result,
    errors,
  );
}
