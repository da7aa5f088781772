// The random draws view (随机抽查, 双随机): a unit (or a coordinator, for a joint check) chooses
// the population from the register and a quota per risk class; the service publishes the
// SHA-256 of its seed first (承诺值), then draws (抽取) and publishes the seed, and the drawn
// enterprises become a checklist per unit. 复核 replays the public record in the browser.
import { api } from "./api.js";
import { fill, h, showError, stackOnPhone, toast } from "./dom.js";
import { DRAW_STATES, RISK_CLASSES, UNGRADED } from "./labels.js";
import { checklistHref } from "./checklist_shared.js";
import { replay } from "./draws_replay.js";
import { isRole, state, unitName } from "./state.js";

let root = null;
let options = null;

const short = (hash) => `${hash.slice(0, 16)}…`;
const className = (grade) => (grade === UNGRADED ? UNGRADED : RISK_CLASSES[grade] || grade);

export function init(section) {
  root = section;
}

export async function show(rest) {
  const id = Number(rest);
  try {
    if (!options && isRole("unit", "coordinator")) options = await api("/draws/options");
    if (Number.isInteger(id) && id > 0) await showDraw(id);
    else await showList();
  } catch (error) {
    showError(error);
  }
}

function checks(name, values, label = (v) => v) {
  return h(
    "div.draw-checks",
    { dataset: { filter: name } },
    values.map((value) => h("label", h("input", { type: "checkbox", value }), label(value))),
  );
}

function checked(form, name) {
  return [...form.querySelectorAll(`[data-filter="${name}"] input:checked`)].map((i) => i.value);
}

function itemRow() {
  return h(
    "div.draw-item",
    h("input.item-code", { placeholder: "事项编码（可选）", "aria-label": "事项编码" }),
    h("input.item-name", { placeholder: "检查事项", "aria-label": "检查事项" }),
    h("input.item-basis", { placeholder: "法律依据", "aria-label": "法律依据" }),
  );
}

function unitBlock(unitId) {
  const items = h("div.draw-items", itemRow());
  const more = h("button.secondary", { type: "button" }, "添加事项");
  more.addEventListener("click", () => items.append(itemRow()));
  return h("fieldset.draw-unit", { dataset: { unit: unitId } }, h("legend", unitName(unitId)), items, more);
}

function quotaRow(grade) {
  return h(
    "div.draw-quota",
    { dataset: { grade } },
    h("span.draw-grade", className(grade)),
    h(
      "select",
      { "aria-label": `${className(grade)}的抽取方式` },
      h("option", { value: "" }, "不抽取"),
      h("option", { value: "count" }, "按数量"),
      h("option", { value: "ratio" }, "按比例（%）"),
    ),
    h("input", { type: "number", min: "0.01", step: "any", "aria-label": `${className(grade)}的数量或比例` }),
  );
}

function body(form) {
  const quotas = [...form.querySelectorAll(".draw-quota")].flatMap((row) => {
    const kind = row.querySelector("select").value;
    const value = row.querySelector("input").value;
    if (!kind) return [];
    const quota = { risk_class: row.dataset.grade };
    if (kind === "count") quota.count = Number(value);
    else quota.ratio_percent = value;
    return [quota];
  });
  const units = [...form.querySelectorAll(".draw-unit")].map((block) => ({
    unit_id: block.dataset.unit,
    items: [...block.querySelectorAll(".draw-item")].flatMap((row) => {
      const [code, name, basis] = [".item-code", ".item-name", ".item-basis"].map((s) => row.querySelector(s).value.trim());
      if (!code && !name && !basis) return [];
      return [{ code: code || null, name: name || null, legal_basis: basis || null }];
    }),
  }));
  const seed = form.querySelector("#draw-seed").value.trim();
  return {
    title: form.querySelector("#draw-title").value.trim(),
    earliest: form.querySelector("#draw-earliest").value,
    latest: form.querySelector("#draw-latest").value,
    industries: checked(form, "industries"),
    towns: checked(form, "towns"),
    risk_classes: checked(form, "risk_classes"),
    quotas,
    units,
    public_seed: seed || null,
  };
}

function newDrawForm() {
  const unitsBox = h("div#draw-units");
  const coordinator = isRole("coordinator");
  let unitPicker = null;
  if (coordinator) {
    unitPicker = checks("units", state.units.map((u) => u.id), unitName);
    unitPicker.addEventListener("change", () => {
      fill(unitsBox, checked(unitPicker.parentNode, "units").map(unitBlock));
    });
  } else {
    fill(unitsBox, unitBlock(state.me.unit_id));
  }
  const error = h("p.field-error#draw-error", { hidden: true, role: "alert" });
  const form = h(
    "form#draw-form",
    h("div.toolbar",
      h("label", "名称", h("input#draw-title", { required: true, maxlength: 200 })),
      h("label", "最早日期", h("input#draw-earliest", { type: "date", required: true })),
      h("label", "最晚日期", h("input#draw-latest", { type: "date", required: true }))),
    h("h3", "抽查范围（不选即全部）"),
    h("div.draw-filter", h("span.draw-label", "行业"), checks("industries", options.industries)),
    h("div.draw-filter", h("span.draw-label", "镇街"), checks("towns", options.towns)),
    h("div.draw-filter", h("span.draw-label", "风险等级"), checks("risk_classes", options.risk_classes, className)),
    h("p.hint", "“无事不扰”名单上的企业不参与抽取。"),
    h("h3", "各风险等级的抽取数量"),
    h("div#draw-quotas", options.risk_classes.map(quotaRow)),
    h("p.hint", "按比例抽取时向上取整；数量不能超过该等级的企业数。"),
    h("h3", coordinator ? "参加的执法单位及检查事项（联合抽查）" : "检查事项"),
    unitPicker,
    unitsBox,
    h("label.draw-seed", "公开种子（可选，如彩票开奖号码；不填则由系统生成并先公布其哈希）",
      h("input#draw-seed", { maxlength: 500 })),
    error,
    h("button#draw-commit", { type: "submit" }, "公布承诺值"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const created = await api("/draws", { method: "POST", body: body(form) });
      toast(`已公布抽查“${created.title}”的承诺值`, "good");
      location.hash = `#draws/${created.draw_id}`;
    } catch (failure) {
      error.textContent = `${failure.message}${failure.problem?.field ? `（${failure.problem.field}）` : ""}`;
      error.hidden = false;
      showError(failure);
    }
  });
  return form;
}

async function showList() {
  const draws = await api("/draws");
  const rows = draws.map((d) =>
    h("tr", { dataset: { id: d.draw_id } },
      h("td", h("a", { href: `#draws/${d.draw_id}` }, d.title)),
      h("td", DRAW_STATES[d.state] || d.state),
      h("td", d.owner_unit_id ? unitName(d.owner_unit_id) : "联合抽查"),
      h("td.num", String(d.classes.reduce((n, c) => n + c.drawn_count, 0))),
      h("td.hash", short(d.commitment))));
  fill(
    root,
    isRole("unit", "coordinator") ? h("section.card#draws-new", h("h2", "新建随机抽查"), newDrawForm()) : null,
    h("section.card#draws-list",
      h("h2", "随机抽查"),
      draws.length
        ? h("div.table-wrap", stackOnPhone(h("table#draws-table",
            h("thead", h("tr", ["名称", "状态", "发起", "抽取家数", "承诺值"].map((t) => h("th", t)))),
            h("tbody", rows))))
        : h("p.hint", "还没有随机抽查。")),
  );
}

function hashLine(label, value) {
  return h("div.draw-hash", h("span.draw-label", label), h("code", value));
}

async function showDraw(id) {
  const draw = await api(`/draws/${id}`);
  const revealed = draw.state === "revealed";
  const recordHref = `/api/v1/draws/${id}/record`;
  const verdict = h("p#draw-verdict", { role: "status" });
  const check = h("button#draw-replay.secondary", { type: "button" }, "复核");
  check.addEventListener("click", async () => {
    const record = await (await fetch(recordHref)).json();
    const differences = await replay(record);
    verdict.className = differences.length ? "bad" : "good";
    verdict.textContent = differences.length
      ? `不一致：${differences.join("；")}`
      : revealed ? "一致：承诺值、对象名录哈希和抽取结果均与记录相符" : "一致：对象名录哈希和抽取数量相符（待抽取后复核结果）";
  });
  let action = null;
  if (!revealed && (isRole("coordinator") || draw.owner_unit_id === state.me.unit_id)) {
    action = h("button#draw-reveal", { type: "button" }, "抽取并公布种子");
    action.addEventListener("click", async () => {
      if (!confirm(`抽取“${draw.title}”？抽取后结果和种子一并公布，不能更改。`)) return;
      try {
        await api(`/draws/${id}/reveal`, { method: "POST" });
        toast("已抽取，并生成检查清单", "good");
        await showDraw(id);
      } catch (error) {
        showError(error);
      }
    });
  }
  const classes = draw.classes.map((c) =>
    h("tr", { dataset: { grade: c.risk_class } },
      h("td", className(c.risk_class)),
      h("td.num", String(c.population.length)),
      h("td", c.count !== null ? `${c.count} 家` : c.ratio_percent !== null ? `${c.ratio_percent}%` : "不抽取"),
      h("td.num", String(c.drawn_count)),
      h("td.drawn", !revealed ? "待抽取" : c.drawn?.length ? c.drawn.map((code) => h("div", `${draw.drawn_names[code] || ""} ${code}`)) : "—")));
  fill(
    root,
    h("section.card#draw-detail",
      h("p", h("a", { href: "#draws" }, "← 全部随机抽查")),
      h("h2", draw.title),
      h("p.hint", `${DRAW_STATES[draw.state]} · ${draw.earliest} 至 ${draw.latest} · ${draw.owner_unit_id ? unitName(draw.owner_unit_id) : "联合抽查"}`),
      hashLine("承诺值（种子的 SHA-256）", draw.commitment),
      hashLine("对象名录的 SHA-256", draw.population_hash),
      revealed ? hashLine("种子", draw.seed) : h("p.hint", draw.public_seed ? "种子为公开种子，抽取时公布。" : "种子已生成并保密，抽取时公布；任何人可用承诺值核对。"),
      h("div.table-wrap", stackOnPhone(h("table#draw-classes",
        h("thead", h("tr", ["风险等级", "企业数", "抽取", "抽取家数", "抽中企业"].map((t) => h("th", t)))),
        h("tbody", classes)))),
      revealed
        ? h("p#draw-checklists", "检查清单：", draw.checklist_ids.map((cid, i) =>
            h("a", { href: checklistHref(cid) }, `${unitName(draw.units[i]?.unit_id || "")}的清单 `)))
        : null,
      h("div.toolbar", action, check, h("a", { href: recordHref, target: "_blank", rel: "noopener" }, "公开记录（JSON）")),
      verdict,
      h("p.hint", "也可用命令复核：inspection draw verify --url <公开记录的地址>")),
  );
}
