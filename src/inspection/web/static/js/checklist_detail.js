// One checklist's page (#checklists/<id>): its items, targets and window; amend and withdraw.
import { api, apiTagged } from "./api.js";
import { fill, h, toast } from "./dom.js";
import { CASE_DRIVEN_TYPES, CHECKLIST_STATUS, INSPECTION_TYPES, UNIT_HEAD } from "./labels.js";
import { renderForm } from "./checklist_form.js";
import {
  checklistHref,
  checklistName,
  enterpriseMap,
  placedCounts,
  takeCapWarnings,
  windowText,
} from "./checklist_shared.js";
import { isRole, state, unitName } from "./state.js";

/** The checklist as stored and its ETag, or a page saying it cannot be found. */
async function read(container, id) {
  try {
    return await apiTagged(`/checklists/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error.status !== 404 && error.status !== 422) throw error;
    fill(
      container,
      h(
        "section.card#checklist-missing",
        h("p", "没有找到这份检查清单：地址有误，或它不属于本单位。"),
        h("a.button.secondary", { href: "#checklists" }, "返回检查清单列表"),
      ),
    );
    return null;
  }
}

function facts(c, placed) {
  const [label, kind] = CHECKLIST_STATUS[c.status] || [c.status, ""];
  const rows = [
    ["清单编号", c.reference || "（未编号）"],
    ["执法单位", unitName(c.unit_id)],
    ["检查类型", INSPECTION_TYPES[c.inspection_type] || c.inspection_type],
    ["检查时间窗口", windowText(c)],
    ["优先级", String(c.priority)],
    ["状态", h(`span.badge#checklist-status${kind ? `.${kind}` : ""}`, label)],
    ["版本", `第 ${c.version} 版`],
    ["审批", approvalText(c)],
  ];
  if (c.onsite_reason) rows.push(["现场检查理由", c.onsite_reason]);
  if (placed) rows.push(["已发布", h("span.badge.good", `已有 ${placed}/${c.targets.length} 家排入已发布的排期`)]);
  return h("dl.facts", rows.map(([term, value]) => [h("dt", term), h("dd", value)]));
}

/** Who approved the checklist and when, or what it waits for. */
function approvalText(c) {
  if (c.approved_at) {
    const when = new Date(c.approved_at).toLocaleString("zh-CN", { hour12: false });
    const late = c.approved_afterwards ? h("span.badge.warn", "事后补批") : null;
    return h("span#checklist-approval", `${c.approved_by} 于 ${when} 批准`, late ? " " : null, late);
  }
  if (c.status !== "draft") return h("span#checklist-approval", "未经批准");
  const early = CASE_DRIVEN_TYPES.has(c.inspection_type) ? "；此类检查可先排期、事后补批" : "；批准前不排入排期";
  return h("span#checklist-approval", `待${UNIT_HEAD}批准${early}`);
}

function itemsTable(c) {
  return h(
    "div.table-wrap",
    h(
      "table#checklist-items",
      h("thead", h("tr", h("th", { scope: "col" }, "检查事项"), h("th", { scope: "col" }, "法律依据"))),
      h("tbody", c.items.map((i) => h("tr", h("td", i.name), h("td", i.legal_basis)))),
    ),
  );
}

// what the yearly caps leave the checklist's unit at one target: one line per cap
function capNotes(target) {
  if (!target) return h("span.hint", "—");
  if (target.caps.length === 0) return h("span.hint", "无频次上限");
  return h(
    "ul.cap-notes",
    target.caps.map((cap, i) =>
      h(
        `li${cap.left === 0 ? ".used-up" : ""}`,
        { dataset: { left: cap.left, scope: cap.scope } },
        target.sentences[i],
        h("span.hint", ` · ${cap.rule}`),
      ),
    ),
  );
}

function targetsTable(c, known, caps) {
  const byCode = new Map((caps || []).map((t) => [t.credit_code, t]));
  const headings = ["企业", "统一社会信用代码", "镇街", ...(caps ? ["频次上限"] : [])];
  return h(
    "div.table-wrap",
    h(
      "table#checklist-targets",
      h("thead", h("tr", headings.map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        c.targets.map((code) => {
          const e = known.get(code);
          return h(
            "tr",
            { dataset: { code } },
            h("td", e ? e.name : "（未知企业）"),
            h("td", code),
            h("td", e ? e.town : ""),
            caps ? h("td.cap-cell", capNotes(byCode.get(code))) : null,
          );
        }),
      ),
    ),
  );
}

function warningsNote(warnings) {
  if (warnings.length === 0) return null;
  return h(
    "div#checklist-cap-warnings",
    { role: "status" },
    h("strong", "已保存。频次上限提醒："),
    h("ul", warnings.map((w) => h("li", w))),
  );
}

function withdrawDialog(c, onConfirm) {
  const dialog = h(
    "dialog#checklist-withdraw-dialog",
    { "aria-labelledby": "checklist-withdraw-title" },
    h(
      "form",
      { method: "dialog" },
      h("h2#checklist-withdraw-title", `撤回检查清单${checklistName(c)}？`),
      h("p", `撤回后，它的 ${c.targets.length} 家检查对象不再排入新的排期；清单仍保留在记录中，不能再修改。`),
      h(
        "div.toolbar",
        h("button#checklist-withdraw-confirm.danger", { type: "submit", value: "withdraw" }, "确认撤回"),
        h("button#checklist-withdraw-cancel.secondary", { type: "submit", value: "cancel" }, "取消"),
      ),
    ),
  );
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "withdraw") onConfirm();
    dialog.remove();
  });
  return dialog;
}

/** Draw checklist `id`'s page into `container`. */
export async function renderDetail(container, id) {
  const read_ = await read(container, id);
  if (!read_) return;
  const c = read_.data;
  const warnings = takeCapWarnings(c.id);
  const [known, placedMap, caps] = await Promise.all([
    enterpriseMap(),
    placedCounts([c], c.unit_id).catch(() => null), // the mark is a nicety: the page stands without it
    api(`/checklists/${c.id}/caps`).catch(() => null), // so are the caps
  ]);
  const placed = placedMap ? placedMap.get(c.id) || 0 : 0;
  const withdraw = async () => {
    try {
      const done = await api(`/checklists/${c.id}/withdraw`, { method: "POST" });
      toast(`已撤回检查清单${checklistName(done)}`, "good");
    } catch (error) {
      toast(`撤回没有成功：${error.message}`, "error");
    }
    await renderDetail(container, id);
  };
  const ask = () => {
    const dialog = withdrawDialog(c, withdraw);
    container.append(dialog);
    dialog.showModal();
  };
  const approve = async () => {
    try {
      const done = await api(`/checklists/${c.id}/approve`, { method: "POST" });
      toast(`已批准检查清单${checklistName(done)}${done.approved_afterwards ? "（事后补批）" : ""}`, "good");
    } catch (error) {
      toast(`批准没有成功：${error.message}`, "error");
    }
    await renderDetail(container, id);
  };
  let actions;
  if (c.status === "withdrawn") {
    actions = h("p.hint#checklist-locked", "此清单已撤回，仅保留记录，不能再修改。");
  } else if (placed > 0) {
    actions = h("p.hint#checklist-locked", "此清单已有检查排入已发布的排期，不能修改或撤回；如需变更请联系协调人。");
  } else {
    actions = h(
      "div.toolbar",
      h("a.button#checklist-edit", { href: checklistHref(c.id, "edit") }, "修改"),
      h("button#checklist-withdraw.danger", { type: "button", on: { click: ask } }, "撤回"),
      // only the unit's head approves (the server refuses anyone else)
      c.status === "draft" && isRole("unit") && state.me.unit_head
        ? h("button#checklist-approve", { type: "button", on: { click: approve } }, "批准")
        : null,
    );
  }
  fill(
    container,
    h(
      "section.card#checklist-detail",
      { dataset: { status: c.status, version: c.version } },
      h("p", h("a#checklist-back", { href: "#checklists" }, "← 返回检查清单列表")),
      h("h2#checklist-title", c.title),
      warningsNote(warnings),
      facts(c, placed),
      actions,
      h("h3", `检查事项（${c.items.length} 项）`),
      itemsTable(c),
      h("h3", `检查对象（${c.targets.length} 家）`),
      targetsTable(c, known, caps),
    ),
  );
}

/** Draw the amendment form of checklist `id`, under the ETag just read; the checklist read. */
export async function renderEdit(container, id) {
  const read_ = await read(container, id);
  if (!read_) return null;
  await renderForm(container, {
    checklist: read_.data,
    etag: read_.etag,
    reload: async () => {
      const latest = await renderEdit(container, id);
      if (latest) toast(`已重新读取检查清单${checklistName(latest)}的最新版本（第 ${latest.version} 版）`, "info");
    },
  });
  return read_.data;
}
