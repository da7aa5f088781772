// The exports view: a plan as a spreadsheet (coordinators) and units' calendar feeds.
import { api, download } from "./api.js";
import { fill, h, isoDate, showError, toast } from "./dom.js";
import { DONE_PLAN_STATUSES, planLabel } from "./labels.js";
import { isRole, on, state } from "./state.js";

let picker = null; // {select, xlsx, csv, empty}

export function init(section) {
  const cards = [];
  if (isRole("coordinator")) cards.push(planCard());
  cards.push(calendarCard());
  fill(section, cards);
  if (picker) {
    on("published", loadPlans);
    on("plan-done", loadPlans);
  }
}

export function show() {
  if (picker) loadPlans();
}

function planCard() {
  picker = {
    select: h("select#export-plan", { name: "export-plan" }),
    xlsx: h("button#export-xlsx", { type: "button" }, "下载 Excel"),
    csv: h("button#export-csv.secondary", { type: "button" }, "下载 CSV"),
    empty: h("p.empty", { hidden: true }, "还没有已完成的排期可以导出，请先在“排期”页生成排期。"),
  };
  picker.xlsx.addEventListener("click", () => exportPlan("xlsx", picker.xlsx));
  picker.csv.addEventListener("click", () => exportPlan("csv", picker.csv));
  return h(
    "section#export-plans.card",
    h("h2", "导出排期"),
    h("div.toolbar", h("label", "排期", picker.select), picker.xlsx, picker.csv),
    picker.empty,
    h("p.hint", "每行一个检查轮次：日期、镇街、企业、牵头单位、参加单位和检查事项。默认选中最近发布的排期。"),
  );
}

function planOption(plan) {
  return `${planLabel(plan)} · ${plan.start} 至 ${plan.end}`;
}

async function loadPlans() {
  let plans;
  try {
    plans = (await api("/plans?limit=100")).filter((p) => DONE_PLAN_STATUSES.has(p.status));
  } catch (error) {
    showError(error);
    return;
  }
  const kept = picker.select.value;
  const newestPublished = plans.find((p) => p.published && !p.superseded_by);
  fill(
    picker.select,
    plans.map((p) => h("option", { value: p.id }, planOption(p))),
  );
  if (plans.some((p) => String(p.id) === kept)) picker.select.value = kept;
  else if (newestPublished) picker.select.value = String(newestPublished.id);
  const none = plans.length === 0;
  picker.empty.hidden = !none;
  picker.select.disabled = picker.xlsx.disabled = picker.csv.disabled = none;
}

async function exportPlan(kind, button) {
  const id = picker.select.value;
  if (!id) return;
  button.disabled = true;
  try {
    // the server names the file with the plan's days (排期12_2024-04-08至2024-04-14.xlsx)
    const name = await download(`/plans/${id}/export.${kind}`, `排期${id}.${kind}`);
    toast(`已下载 ${name}`, "good");
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

function calendarUnits() {
  if (isRole("coordinator")) return state.units;
  const own = state.units.find((u) => u.id === state.me.unit_id);
  return [own || { id: state.me.unit_id, name: state.me.unit_name || state.me.unit_id }];
}

function calendarCard() {
  const rows = calendarUnits().flatMap(unitRows);
  return h(
    "section#export-calendars.card",
    h("h2", "日历订阅"),
    h(
      "p.hint",
      "把单位的已发布检查轮次订阅到 Outlook、手机或其他日历应用中，日历会随新的发布自动更新；",
      "也可以下载当前的 .ics 文件导入一次。",
    ),
    h(
      "div.table-wrap",
      h(
        "table#calendar-units",
        h("thead", h("tr", h("th", { scope: "col" }, "执法单位"), h("th", { scope: "col" }, "日历"))),
        h("tbody", rows),
      ),
    ),
  );
}

function unitRows(unit) {
  const url = h("input.feed-url", { type: "text", readonly: true, "aria-label": `${unit.name}的订阅链接` });
  const copy = h("button.feed-copy.secondary", { type: "button" }, "复制");
  const issue = h("button.feed-token", { type: "button" }, "生成订阅链接");
  const ics = h("button.ics-download.secondary", { type: "button" }, "下载 .ics");
  const link = h(
    "tr.calendar-link",
    { hidden: true, dataset: { unitId: unit.id } },
    h(
      "td",
      { colspan: 2 },
      h("label.feed-field", "订阅链接", h("span.feed-row", url, copy)),
      h(
        "p.feed-warning",
        { role: "note" },
        "注意：此链接无需密钥即可使用，任何拿到链接的人都能读取该单位已发布的检查轮次。请只交给本单位人员；",
        "如链接外泄，请联系管理员吊销：管理员运行 inspection keys list，按链接中 token= 之后的开头几个字符",
        "（列表的 prefix 列）找到它的编号，再运行 inspection keys revoke 编号。每次生成都会签发新的链接，旧链接在吊销前仍然有效。",
      ),
    ),
  );
  issue.addEventListener("click", async () => {
    issue.disabled = true;
    try {
      const token = await api(`/units/${encodeURIComponent(unit.id)}/feed-token`, { method: "POST" });
      url.value = token.url;
      link.hidden = false;
      issue.textContent = "重新生成链接";
      url.focus();
      url.select();
    } catch (error) {
      showError(error);
    } finally {
      issue.disabled = false;
    }
  });
  copy.addEventListener("click", () => copyText(url));
  ics.addEventListener("click", async () => {
    ics.disabled = true;
    try {
      // the feed holds every published round as of today: the name says which day's copy it is
      const name = `${unit.id}_联合检查_${isoDate(new Date())}.ics`;
      await download(`/units/${encodeURIComponent(unit.id)}/calendar.ics`, name);
    } catch (error) {
      showError(error);
    } finally {
      ics.disabled = false;
    }
  });
  return [
    h(
      "tr.calendar-unit",
      { dataset: { unitId: unit.id } },
      h("td", unit.name),
      h("td", h("div.calendar-actions", issue, ics)),
    ),
    link,
  ];
}

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    toast("订阅链接已复制", "good");
  } catch {
    // no clipboard permission (e.g. an insecure origin): leave the text selected to copy by hand
    input.focus();
    input.select();
    toast("无法自动复制，链接已选中，请按 Ctrl+C（手机上长按）复制");
  }
}
