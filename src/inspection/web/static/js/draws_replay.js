// 复核: a draw's public record replayed in the browser with WebCrypto, by the rule of
// docs/draws.md (the same as services/draws/algorithm.py and `inspection draw verify`).
const encoder = new TextEncoder();

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(text) {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Code point order, as Python sorts text (JavaScript's default sort uses UTF-16 units). */
function byCodePoint(a, b) {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const diff = left[i].codePointAt(0) - right[i].codePointAt(0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function populationText(classes) {
  return [...classes]
    .sort((a, b) => byCodePoint(a.risk_class, b.risk_class))
    .flatMap((c) => [...c.population].sort(byCodePoint).map((code) => `${c.risk_class}\t${code}\n`))
    .join("");
}

/** k of a class of n: the count, or ceil(n × hundredths / 10000); null when the quota is wrong. */
function quotaCount(size, count, ratio) {
  if (count !== null && count !== undefined) return count >= 1 && count <= size ? count : null;
  if (ratio === null || ratio === undefined) return 0;
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(ratio));
  if (!match) return null;
  const hundredths = Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
  if (hundredths < 1 || hundredths > 10000) return null;
  return Math.ceil((size * hundredths) / 10000);
}

async function ranked(seed, riskClass, codes) {
  const key = await crypto.subtle.importKey(
    "raw", encoder.encode(seed), { name: "HMAC", hash: "SHA-256" }, false, ["sign"],
  );
  const ranks = await Promise.all(
    codes.map(async (code) => [hex(await crypto.subtle.sign("HMAC", key, encoder.encode(`${riskClass}|${code}`))), code]),
  );
  ranks.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : byCodePoint(a[1], b[1])));
  return ranks.map(([, code]) => code);
}

/** What differs between the record and its replay (an empty list: 一致). */
export async function replay(record) {
  const differences = [];
  if ((await sha256(populationText(record.classes))) !== record.population_hash) {
    differences.push("对象名录的哈希与记录不符");
  }
  for (const c of record.classes) {
    const expected = quotaCount(c.population.length, c.count, c.ratio_percent);
    if (expected !== c.drawn_count) differences.push(`类别 ${c.risk_class}：抽取数量与记录不符`);
  }
  if (record.seed === null) return differences;
  if ((await sha256(record.seed)) !== record.commitment) {
    differences.push("种子的 SHA-256 与事先公布的承诺值不符");
  }
  for (const c of record.classes) {
    const order = await ranked(record.seed, c.risk_class, c.population);
    const again = order.slice(0, c.drawn_count);
    if (JSON.stringify(again) !== JSON.stringify(c.drawn || [])) {
      differences.push(`类别 ${c.risk_class}：抽取结果与用种子重算的结果不符`);
    }
  }
  return differences;
}
