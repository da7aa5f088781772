// Building the page from data without innerHTML: every value is text, never markup.

/**
 * h("div.card#id", {attrs, on: {click}}, ...children): an element.
 * Children may be strings, numbers, nodes, arrays or null (skipped).
 */
export function h(tag, props, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const node = document.createElement(name || "div");
  for (const part of rest) {
    if (part.startsWith(".")) node.classList.add(part.slice(1));
    else node.id = part.slice(1);
  }
  // props may be left out: then the second argument is a child (0 and "" included)
  if (
    props !== null &&
    props !== undefined &&
    (typeof props !== "object" || props instanceof Node || Array.isArray(props))
  ) {
    children.unshift(props);
    props = null;
  }
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(key, "");
    } else if (value !== false && value !== null && value !== undefined) {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Mark a table to become label/value cards at a phone's width (desk.css): each body cell gets
 * its column's heading as `data-label`, which the card shows before the value.
 */
export function stackOnPhone(table) {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.classList.add("stack-on-phone");
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.cells].forEach((cell, index) => {
      if (headings[index]) cell.dataset.label = headings[index];
    });
  }
  return table;
}

function markScroll(wrap) {
  const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
  wrap.classList.toggle("scrolls", scrolls);
  wrap.classList.toggle("at-end", scrolls && wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
}

/**
 * Keep every `.table-wrap` under `root` marked `.scrolls` while its table is wider than it
 * (and `.at-end` once scrolled to its last column): desk.css then shows a cue to swipe, so no
 * column is hidden past the edge without a word. Views need do nothing: new wraps are found.
 */
export function watchWideTables(root) {
  const seen = new WeakSet();
  const resized = new ResizeObserver((entries) => entries.forEach((entry) => markScroll(entry.target)));
  const scan = () => {
    for (const wrap of root.querySelectorAll(".table-wrap")) {
      if (!seen.has(wrap)) {
        seen.add(wrap);
        resized.observe(wrap);
        wrap.addEventListener("scroll", () => markScroll(wrap), { passive: true });
      }
      markScroll(wrap);
    }
  };
  // only children are watched, not attributes: marking a wrap does not call scan again
  new MutationObserver(scan).observe(root, { childList: true, subtree: true });
  window.addEventListener("resize", scan);
  scan();
}

/** Replace an element's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** An SVG element (charts). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  append(node, children);
  return node;
}

/** A short message at the bottom of the screen; errors stay until the next one. */
export function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  box.className = `toast ${kind}`;
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  if (kind !== "error") toast.timer = setTimeout(() => (box.hidden = true), 4000);
}

/** Show an API error (problem+json) as one sentence, with the field it names. */
export function showError(error) {
  const field = error.problem && error.problem.field ? `（${error.problem.field}）` : "";
  toast(`${error.message}${field}`, "error");
}

/** ISO date (yyyy-mm-dd) of a local Date. */
export function isoDate(day) {
  const y = day.getFullYear();
  const m = String(day.getMonth() + 1).padStart(2, "0");
  const d = String(day.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** A Date at local midnight from yyyy-mm-dd. */
export function parseDate(text) {
  const [y, m, d] = text.split("-").map(Number);
  return new Date(y, m - 1, d);
}

export function addDays(text, days) {
  const day = parseDate(text);
  day.setDate(day.getDate() + days);
  return isoDate(day);
}

/** The Monday of the week holding this yyyy-mm-dd. */
export function mondayOf(text) {
  const day = parseDate(text);
  return addDays(text, -((day.getDay() + 6) % 7));
}

const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

/** "4月8日 周一" */
export function dayLabel(text) {
  const day = parseDate(text);
  return `${day.getMonth() + 1}月${day.getDate()}日 ${WEEKDAYS[day.getDay()]}`;
}

export function percent(share) {
  return `${(share * 100).toFixed(1)}%`;
}
