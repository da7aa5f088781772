// A plan's shares of units that work in several districts: one line per unit and day, e.g.
// "市市场监管局 4 月 8 日：清城区 3、清新区 2（按需求 6:4）". Hidden when the plan has none.
import { api } from "./api.js";
import { h } from "./dom.js";
import { CAPACITY_SHARES as L } from "./labels.js";

function dayOf(iso) {
  const [, month, day] = iso.split("-").map(Number);
  return `${month} 月 ${day} 日`;
}

/** The card, or null when no unit of the plan works in several districts. */
export async function sharesCard(plan) {
  const shares = await api(`/plans/${plan.id}/capacity-shares`);
  if (shares.length === 0) return null;
  const lines = new Map(); // unit and day -> its districts' shares, by district code
  for (const share of shares) {
    const key = `${share.unit_id}|${share.day}`;
    if (!lines.has(key)) lines.set(key, []);
    lines.get(key).push(share);
  }
  return h(
    "section#plan-shares.card",
    h("h3", L.title),
    h("p.hint", L.hint),
    h(
      "ul.plan-shares",
      [...lines.values()].map((parts) => {
        const first = parts[0];
        const split = parts.map((p) => `${p.region_name} ${p.capacity}`).join("、");
        const demand = parts.map((p) => p.demand).join(":");
        return h(
          "li.plan-share",
          { dataset: { unit: first.unit_id, day: first.day } },
          `${first.unit_name} ${dayOf(first.day)}：${split}（${L.by_demand} ${demand}）`,
          h("span.hint", ` ${L.available} ${first.available} ${L.rounds}`),
        );
      }),
    ),
  );
}
