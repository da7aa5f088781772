// A round in full, in the shared dialog: which checklists bring each unit there, and on what grounds.
import { api, openPrintable } from "./api.js";
import { dayLabel, fill, h, showError } from "./dom.js";
import { INSPECTION_TYPES } from "./labels.js";
import { outcomeSection } from "./outcomes.js";
import { unitName } from "./state.js";

// only the newest click may fill the dialog: an older answer arriving late is dropped
let ticket = 0;

function fact(term, ...value) {
  return [h("dt", term), h("dd", ...value)];
}

function checklist(entry) {
  const named = INSPECTION_TYPES[entry.inspection_type];
  const type = named ? `${named}检查` : entry.inspection_type;
  return h(
    "section.round-checklist",
    { dataset: { checklistId: entry.checklist_id, unit: entry.unit_id, type: entry.inspection_type } },
    h(
      "h4",
      h("span.checklist-unit", entry.unit_name),
      " · ",
      h("span.checklist-title", entry.title),
      " ",
      h(entry.inspection_type === "complaint" ? "span.badge.warn" : "span.badge", type),
    ),
    entry.items.length === 0
      ? h("p.hint", "该清单没有检查事项")
      : h(
          "ol.round-items",
          entry.items.map((item) =>
            h(
              "li.round-item",
              h("span.item-name", item.name),
              h(
                "span.item-law",
                h("span.item-law-label", "依据："),
                item.legal_basis ? h("span.item-basis", item.legal_basis) : h("span.item-basis.empty", "未注明"),
              ),
            ),
          ),
        ),
  );
}

// who inspects (the random draw), unit by unit in the round's order; nothing when no roster was drawn
function officers(round, units) {
  const drawn = round.officers || [];
  if (drawn.length === 0) return null;
  return fact(
    "执法人员",
    h(
      "ul.round-officers",
      units
        .filter((u) => drawn.some((o) => o.unit === u))
        .map((u) =>
          h(
            "li",
            { dataset: { unit: u } },
            h("span.officer-unit", `${unitName(u)}：`),
            drawn
              .filter((o) => o.unit === u)
              .map((o) => h("span.chip.officer", { dataset: { badge: o.badge_number } }, `${o.name}（${o.badge_number}）`)),
          ),
        ),
    ),
  );
}

// a published live round's inspection code (检查码): what the enterprise is told, its public
// page and the QR code that opens it; nothing for a draft
function inspectionCode(round) {
  if (!round.code) return null;
  const page = `/v/${encodeURIComponent(round.code)}`;
  return fact(
    "检查码",
    h(
      "div.round-inspection-code",
      h("span.inspection-code", round.code),
      h("a.inspection-code-link", { href: page, target: "_blank", rel: "noopener" }, "打开核验页"),
      h(
        "button.secondary.print-notice",
        { type: "button", on: { click: () => printNotice(round.code) } },
        "打印通知书",
      ),
      h("img.inspection-code-qr", { src: `${page}/qr.svg`, alt: `检查码 ${round.code} 的二维码`, width: 132, height: 132 }),
    ),
  );
}

// the notice of joint inspection (联合检查通知书) the enterprise receives, on an A4 page
async function printNotice(code) {
  try {
    await openPrintable(`/notices/${encodeURIComponent(code)}`);
  } catch (error) {
    showError(error);
  }
}

function detail(round, stillOpen) {
  const units = [round.lead_unit, ...round.units.filter((u) => u !== round.lead_unit)];
  return [
    h("h2#round-dialog-title", round.enterprise_name),
    h(
      "p.round-status",
      round.published ? h("span.badge.good", "已发布") : h("span.badge.warn", `草案 #${round.plan_id}`),
    ),
    h(
      "dl.round-facts",
      fact("统一社会信用代码", h("span.round-code", round.enterprise)),
      fact("镇街", round.town),
      fact("地址", round.address || "—"),
      fact("检查日期", dayLabel(round.date)),
      fact("牵头单位", unitName(round.lead_unit)),
      fact(
        "参与单位",
        units.map((u) =>
          h(u === round.lead_unit ? "span.chip.lead" : "span.chip", { dataset: { unit: u } }, unitName(u)),
        ),
      ),
      officers(round, units),
      inspectionCode(round),
    ),
    outcomeSection(round, stillOpen),
    h("h3", `检查清单（${round.checklists.length} 份）`),
    round.checklists.map(checklist),
  ];
}

/** Open #round-dialog on one round, fetched from GET /rounds/{id}. */
export async function openRoundDialog(roundId) {
  const dialog = document.getElementById("round-dialog");
  const body = document.getElementById("round-dialog-body");
  const mine = ++ticket;
  body.dataset.roundId = roundId;
  body.dataset.status = "loading";
  fill(body, h("h2#round-dialog-title", "正在加载轮次…"));
  if (!dialog.open) dialog.showModal();
  try {
    const round = await api(`/rounds/${roundId}`);
    if (mine !== ticket) return;
    fill(body, detail(round, () => mine === ticket));
    body.dataset.status = "ready";
  } catch (error) {
    if (mine !== ticket) return;
    fill(body, h("h2#round-dialog-title", "无法打开该轮次"), h("p.error", { role: "alert" }, error.message));
    body.dataset.status = "error";
  }
}
