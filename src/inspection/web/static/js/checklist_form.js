// A checklist's form: create one, or amend one under the ETag it was read with.
// The server is the judge of what is valid: its 422 problems are shown next to their fields;
// a 412 (someone else changed it meanwhile) offers to reload it, a 409 says why not.
import { api, apiTagged } from "./api.js";
import { fill, h, toast } from "./dom.js";
import { INSPECTION_TYPES } from "./labels.js";
import { checklistHref, checklistName, enterpriseMap, rememberCapWarnings } from "./checklist_shared.js";
import { isRole, state, unitName } from "./state.js";

const MAX_MATCHES = 20;

function slot(field) {
  return h("p.field-error", { dataset: { errorFor: field }, hidden: true, role: "alert" });
}

function field(label, control, name) {
  return h("div.field", { dataset: { field: name } }, h("label", label, control), slot(name));
}

function itemRow(item = { name: "", legal_basis: "" }) {
  const row = h(
    "div.item-row",
    h(
      "label.item-name",
      "检查事项",
      h("input", {
        type: "text",
        name: "item-name",
        value: item.name,
        required: true,
        maxlength: 200,
        list: "cl-catalogue-items",
        on: { change: (event) => takeCatalogueBasis(event.currentTarget) },
      }),
      slot("name"),
    ),
    h(
      "label.item-basis",
      "法律依据",
      h("textarea", { name: "item-basis", rows: 2, required: true, maxlength: 500 }, item.legal_basis),
      slot("legal_basis"),
    ),
    h(
      "button.secondary.item-remove",
      { type: "button", title: "删除此检查事项", on: { click: () => row.remove() } },
      "删除",
    ),
  );
  return row;
}

// the unit's published catalogue items, offered as the items' names (a datalist), by name
let catalogueItems = new Map();

/** A name chosen from the unit's catalogue brings its legal basis (the catalogue's is the law). */
function takeCatalogueBasis(input) {
  const item = catalogueItems.get(input.value.trim());
  const basis = input.closest(".item-row")?.querySelector("[name=item-basis]");
  if (item && basis) basis.value = item.legal_basis;
}

/** Offer the unit's current published items in the form (none for a unit without a catalogue). */
async function offerCatalogue(form, unitId) {
  catalogueItems = new Map();
  const list = form.querySelector("#cl-catalogue-items");
  fill(list);
  if (!unitId) return;
  try {
    const listing = await api(`/units/${encodeURIComponent(unitId)}/catalogue`);
    const published = listing.items.filter((i) => i.state !== "draft");
    catalogueItems = new Map(published.map((i) => [i.name, i]));
    fill(list, published.map((i) => h("option", { value: i.name }, `${i.code} · ${i.legal_basis}`)));
    const hint = form.querySelector("#cl-catalogue-hint");
    hint.hidden = published.length === 0;
  } catch {
    // the offer is a help: the form works without it, the server still judges the items
  }
}

function targetEntry(code, known) {
  const e = known.get(code);
  const entry = h(
    "li",
    { dataset: { code } },
    h("span.target-name", e ? e.name : code),
    h("span.hint", ` ${code}${e ? ` · ${e.town}` : ""}`),
    h("button.secondary.target-remove", { type: "button", on: { click: () => entry.remove() } }, "移除"),
  );
  return entry;
}

/** The enterprises whose name, code or town holds the words typed, those chosen left out. */
function showMatches(form, known) {
  const words = form.querySelector("#cl-target-search").value.trim();
  const list = form.querySelector("#cl-target-matches");
  const chosen = new Set(chosenTargets(form));
  if (!words) {
    fill(list);
    return;
  }
  const found = [...known.values()]
    .filter((e) => !chosen.has(e.credit_code))
    .filter((e) => e.name.includes(words) || e.credit_code.includes(words.toUpperCase()) || e.town.includes(words))
    .slice(0, MAX_MATCHES);
  const add = (e) => {
    form.querySelector("#cl-target-list").append(targetEntry(e.credit_code, known));
    const search = form.querySelector("#cl-target-search");
    search.value = "";
    search.focus(); // ready for the next one
    showMatches(form, known);
  };
  fill(
    list,
    found.length === 0
      ? h("li.empty", "没有名称、信用代码或镇街含此文字的企业")
      : found.map((e) =>
          h(
            "li",
            h(
              "button.secondary.target-add",
              { type: "button", dataset: { code: e.credit_code }, on: { click: () => add(e) } },
              `添加 ${e.name}`,
            ),
            h("span.hint", ` ${e.town}`),
          ),
        ),
  );
}

function chosenTargets(form) {
  return [...form.querySelectorAll("#cl-target-list li[data-code]")].map((li) => li.dataset.code);
}

function body(form, unitId) {
  const value = (selector) => form.querySelector(selector).value.trim();
  const reference = value("#cl-reference");
  return {
    unit_id: unitId || value("#cl-unit"),
    ...(reference ? { reference } : {}),
    title: value("#cl-title"),
    inspection_type: value("#cl-type"),
    priority: Number(value("#cl-priority")),
    earliest: value("#cl-earliest"),
    latest: value("#cl-latest"),
    items: [...form.querySelectorAll(".item-row")].map((row) => ({
      name: row.querySelector("[name=item-name]").value.trim(),
      legal_basis: row.querySelector("[name=item-basis]").value.trim(),
    })),
    targets: chosenTargets(form),
    ...(value("#cl-onsite-reason") ? { onsite_reason: value("#cl-onsite-reason") } : {}),
  };
}

function clearErrors(form) {
  for (const node of form.querySelectorAll(".field-error, #cl-form-error, #cl-conflict")) {
    node.hidden = true;
    fill(node);
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** Where a problem belongs: the slot next to its field, else the form's own line. */
function slotFor(form, path, problem) {
  const item = /^items\[(\d+)\]\.(name|legal_basis)$/.exec(path);
  if (item) {
    const row = form.querySelectorAll(".item-row")[Number(item[1])];
    if (row) return row.querySelector(`[data-error-for="${item[2]}"]`);
  }
  let name = path.replace(/\[\d+\].*$/, "");
  // the window and duplicate targets are checked on the whole checklist: no field of their own
  if (!name && problem.includes("窗口")) name = "window";
  else if (!name && problem.includes("检查对象")) name = "targets";
  if (name === "earliest" || name === "latest") name = "window";
  return form.querySelector(`.field-error[data-error-for="${name}"]`) || form.querySelector("#cl-form-error");
}

function showProblems(form, error) {
  const problem = error.problem || {};
  const rows = Array.isArray(problem.errors) && problem.errors.length
    ? problem.errors
    : [{ field: problem.field || "", problem: error.message }];
  for (const { field: path, problem: text } of rows) {
    const box = slotFor(form, path || "", text);
    box.hidden = false;
    box.append(h("span", text));
    box.closest("label, .field, fieldset")?.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
  }
  form.querySelector(".field-error:not([hidden]), #cl-form-error:not([hidden])")?.scrollIntoView({ block: "center" });
}

function showConflict(form, message, ...actions) {
  const box = form.querySelector("#cl-conflict");
  fill(box, h("p", message), h("div.toolbar", actions));
  box.hidden = false;
  box.scrollIntoView({ block: "center" });
}

/**
 * Fill `container` with the form: a new checklist when `checklist` is null, else its amendment
 * under `etag`. `reload()` reads the checklist again (after a 412) and redraws the form.
 */
export async function renderForm(container, { checklist = null, etag = null, reload = null } = {}) {
  const known = await enterpriseMap();
  const amending = checklist !== null;
  const fixedUnit = amending ? checklist.unit_id : isRole("unit") ? state.me.unit_id : null;
  const c = checklist || { title: "", reference: "", inspection_type: "routine", priority: 1, items: [], targets: [] };
  const typeSelect = h(
    "select#cl-type",
    Object.entries(INSPECTION_TYPES).map(([value, label]) => h("option", { value, selected: value === c.inspection_type }, label)),
  );
  const priority = h(
    "select#cl-priority",
    [1, 2, 3, 4, 5].map((p) => h("option", { value: p, selected: p === c.priority }, String(p))),
  );
  const unitControl = fixedUnit
    ? h("output#cl-unit-name", unitName(fixedUnit))
    : h("select#cl-unit", { required: true }, h("option", { value: "" }, "请选择"), state.units.map((u) => h("option", { value: u.id }, u.name)));
  const items = h("div#cl-item-rows", (c.items.length ? c.items : [undefined]).map((i) => itemRow(i)));
  const form = h(
    "form#checklist-form.card",
    { dataset: { mode: amending ? "amend" : "create" } },
    h("h2", amending ? `修改检查清单${checklistName(checklist)}` : "新建检查清单"),
    amending ? h("p.hint", `正在修改第 ${checklist.version} 版；保存时若他人已改过，会提示您重新读取。`) : null,
    h("div#cl-conflict.conflict", { hidden: true, role: "alert" }),
    h(
      "div.form-grid",
      field("执法单位", unitControl, "unit_id"),
      field("清单名称", h("input#cl-title", { type: "text", value: c.title, required: true, maxlength: 200 }), "title"),
      field("清单编号（本单位自编，可不填）", h("input#cl-reference", { type: "text", value: c.reference || "", maxlength: 64 }), "reference"),
      field("检查类型", typeSelect, "inspection_type"),
      field("优先级（1 最低，5 最高）", priority, "priority"),
      h(
        "div.field.window",
        { dataset: { field: "window" } },
        h("span.label", "检查时间窗口"),
        h(
          "div.window-dates",
          h("label", "最早", h("input#cl-earliest", { type: "date", value: c.earliest || "", required: true })),
          h("label", "最晚", h("input#cl-latest", { type: "date", value: c.latest || "", required: true })),
        ),
        slot("window"),
      ),
    ),
    h(
      "fieldset#cl-items",
      h("legend", "检查事项与法律依据"),
      h("p.hint#cl-catalogue-hint", { hidden: true }, "本单位已公布检查事项清单：检查事项须从清单中选择，法律依据随之填入。"),
      h("datalist#cl-catalogue-items"),
      items,
      slot("items"),
      h("button#cl-add-item.secondary", { type: "button", on: { click: () => items.append(itemRow()) } }, "添加检查事项"),
    ),
    h(
      "fieldset#cl-targets",
      h("legend", "检查对象"),
      h("ul#cl-target-list", c.targets.map((code) => targetEntry(code, known))),
      slot("targets"),
      h(
        "label",
        "查找企业（名称、统一社会信用代码或镇街）",
        h("input#cl-target-search", { type: "search", autocomplete: "off", on: { input: () => showMatches(form, known) } }),
      ),
      h("ul#cl-target-matches"),
    ),
    field(
      "现场检查理由（检查事项清单标明可非现场核查的事项确需现场检查时填写）",
      h("textarea#cl-onsite-reason", { rows: 2, maxlength: 500 }, c.onsite_reason || ""),
      "onsite_reason",
    ),
    h("p#cl-form-error.error", { hidden: true, role: "alert" }),
    h(
      "div.toolbar",
      h("button#cl-submit", { type: "submit" }, amending ? "保存修改" : "提交检查清单"),
      h("a.button.secondary#cl-cancel", { href: amending ? checklistHref(checklist.id) : "#checklists" }, "取消"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(form, { checklist, etag, fixedUnit, reload });
  });
  fill(container, form);
  offerCatalogue(form, fixedUnit);
  form.querySelector("#cl-unit")?.addEventListener("change", (event) => offerCatalogue(form, event.currentTarget.value));
  return form;
}

async function submit(form, { checklist, etag, fixedUnit, reload }) {
  clearErrors(form);
  const data = body(form, fixedUnit);
  if (data.targets.length === 0) {
    showProblems(form, { message: "请至少添加一家检查对象", problem: { field: "targets" } });
    return;
  }
  const button = form.querySelector("#cl-submit");
  button.disabled = true;
  try {
    const { data: saved, status } = checklist
      ? await apiTagged(`/checklists/${checklist.id}`, { method: "PUT", body: data, ifMatch: etag })
      : await apiTagged("/checklists", { method: "POST", body: data });
    // a 200 to a POST: sent before under its 清单编号 with this content, nothing new stored
    const what = checklist
      ? `已保存检查清单${checklistName(saved)}的修改（第 ${saved.version} 版）`
      : status === 201
        ? `已提交检查清单${checklistName(saved)}，共 ${saved.targets.length} 家检查对象`
        : `检查清单${checklistName(saved)}此前已提交，内容相同，没有重复保存`;
    const warned = saved.warnings || [];
    rememberCapWarnings(saved.id, warned);
    toast(warned.length ? `${what}；频次上限提醒 ${warned.length} 条，见清单页` : what, warned.length ? "info" : "good");
    location.hash = checklistHref(saved.id);
  } catch (error) {
    if (error.status === 412 && checklist) {
      showConflict(
        form,
        `保存没有成功：您编辑期间，检查清单${checklistName(checklist)}已被他人修改。` +
          "重新读取会显示最新版本，您在此处的修改不会保留。",
        h("button#cl-reload", { type: "button", on: { click: () => reload() } }, "重新读取最新版本"),
      );
    } else if (error.status === 409) {
      showConflict(
        form,
        `保存没有成功：${error.message}`,
        checklist ? h("a.button.secondary", { href: checklistHref(checklist.id) }, "返回该清单") : null,
      );
    } else {
      showProblems(form, error);
    }
  } finally {
    button.disabled = false;
  }
}
