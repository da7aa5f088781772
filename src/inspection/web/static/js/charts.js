// Bar charts of our own, drawn as SVG: no library to load, nothing outside the page's CSP.
import { percent, svg } from "./dom.js";
import { METRICS } from "./labels.js";

const FONT = 13;
const LABEL_LINE = 18; // the group's name and its numbers sit above its bar
const BAR = 16;
const ROW_GAP = 12;
const TOP = 26; // room for the category axis title
const BOTTOM = 64; // tick labels, value axis title, legend

/** Rough width of text: CJK glyphs are about 1em wide, Latin digits about 0.6em. */
export function textWidth(text, size = FONT) {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0) >= 0x2e80 ? size : size * 0.6;
  return width;
}

/** Cut text to fit a width, marking the cut; the full text stays in the bar's tooltip. */
function clip(text, room, size = FONT) {
  if (textWidth(text, size) <= room) return text;
  let kept = "";
  for (const ch of text) {
    if (textWidth(`${kept}${ch}…`, size) > room) break;
    kept += ch;
  }
  return `${kept}…`;
}

/** The smallest of 1, 2, 5 × 10^k at or above a value, so ticks fall on round numbers. */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function tickValues(max) {
  const step = max <= 5 ? 1 : max / 5;
  const values = [];
  for (let value = 0; value <= max + step / 2; value += step) values.push(Math.round(value));
  return values;
}

function text(x, y, content, attrs = {}) {
  return svg("text", { x, y, "font-size": FONT, ...attrs }, content);
}

function legend(x, y) {
  const entries = [
    ["rounds", METRICS.rounds[0]],
    ["saved", METRICS.announced_visits_saved[0]],
  ];
  let at = x;
  const parts = [];
  for (const [kind, label] of entries) {
    parts.push(svg("rect", { class: `swatch ${kind}`, x: at, y: y - 11, width: 12, height: 12, rx: 2 }));
    parts.push(text(at + 17, y, label, { class: "legend-text" }));
    at += 17 + textWidth(label) + 18;
  }
  return svg("g", { class: "legend" }, parts);
}

/**
 * A horizontal stacked bar per group: its length is the requests, split into the rounds
 * announced and the visits saved as announced (requests − rounds, 按已公布: the bars add up);
 * the share merged is written above it. The carried-out figures are in the table beside.
 *
 * rows: [{key, label, requests, rounds, announced_visits_saved, merged_share}]
 * Each bar is a `<g class="bar" data-key data-saved>` with a `<title>` tooltip.
 */
export function barChart({ groupBy, axisTitle, caption, rows, width }) {
  // drawn at the container's own width, so text keeps its size; the viewBox rescales on resize
  const W = Math.round(Math.max(280, Math.min(width || 640, 960)));
  const left = 6;
  const right = W - 10;
  const plotTop = TOP + 6;
  const plotBottom = plotTop + rows.length * (LABEL_LINE + BAR + ROW_GAP);
  const height = plotBottom + BOTTOM;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.requests)));
  const x = (value) => left + ((right - left) * value) / max;

  const grid = tickValues(max).map((value) =>
    svg(
      "g",
      { class: "tick" },
      svg("line", { class: "grid", x1: x(value), x2: x(value), y1: plotTop, y2: plotBottom }),
      text(x(value), plotBottom + 16, value, {
        "text-anchor": value === 0 ? "start" : value === max ? "end" : "middle",
        class: "tick-label",
      }),
    ),
  );

  const bars = rows.map((row, index) => {
    const y = plotTop + index * (LABEL_LINE + BAR + ROW_GAP);
    const saved = row.announced_visits_saved;
    const numbers = `减少 ${saved} · 合并 ${percent(row.merged_share)}`;
    const room = right - left - textWidth(numbers) - 12;
    const tip =
      `${row.label}：${METRICS.requests[0]} ${row.requests}，${METRICS.rounds[0]} ${row.rounds}，` +
      `${METRICS.announced_visits_saved[0]} ${saved}，${METRICS.merged_share[0]} ${percent(row.merged_share)}`;
    return svg(
      "g",
      { class: "bar", "data-key": row.key, "data-saved": saved },
      svg("title", {}, tip),
      text(left, y + 13, clip(row.label, room), { class: "bar-label" }),
      text(right, y + 13, numbers, { "text-anchor": "end", class: "bar-numbers" }),
      svg("rect", {
        class: "rounds",
        x: x(0),
        y: y + LABEL_LINE,
        width: Math.max(0, x(row.rounds) - x(0)),
        height: BAR,
      }),
      svg("rect", {
        class: "saved",
        x: x(row.rounds),
        y: y + LABEL_LINE,
        width: Math.max(0, x(row.requests) - x(row.rounds)),
        height: BAR,
      }),
    );
  });

  return svg(
    "svg",
    {
      class: "chart",
      "data-group-by": groupBy,
      role: "img",
      "aria-label": caption,
      viewBox: `0 0 ${W} ${height}`,
      width: "100%",
      preserveAspectRatio: "xMinYMin meet",
    },
    text(left, TOP - 8, axisTitle, { class: "axis-title" }),
    grid,
    svg("line", { class: "axis", x1: x(0), x2: x(0), y1: plotTop, y2: plotBottom }),
    bars,
    text(right, plotBottom + 34, "次数（条长 = 请求次数）", { "text-anchor": "end", class: "axis-title" }),
    legend(left, plotBottom + 56),
  );
}
