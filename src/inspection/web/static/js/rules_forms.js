// Small form pieces the rules views share: a field with its error slot, category checkboxes,
// and the server's 422 problems shown next to the fields they name.
import { h } from "./dom.js";
import { INSPECTION_TYPES } from "./labels.js";

/** A labelled control with the slot its server problems go to (`name` is the API field). */
export function field(label, control, name) {
  return h(
    "div.field",
    { dataset: { field: name } },
    h("label", label, control),
    h("p.field-error", { dataset: { errorFor: name }, hidden: true, role: "alert" }),
  );
}

/** A fieldset of checkboxes, one per inspection type, labelled with its Chinese name. */
export function categoryBoxes(id, legend, name, chosen, disabled) {
  return h(
    `fieldset#${id}.rules-categories`,
    { dataset: { field: name } },
    h("legend", legend),
    Object.entries(INSPECTION_TYPES).map(([code, label]) =>
      h(
        "label.check",
        h("input", { type: "checkbox", name, value: code, checked: chosen.includes(code), disabled }),
        label,
      ),
    ),
    h("p.field-error", { dataset: { errorFor: name }, hidden: true, role: "alert" }),
  );
}

/** The codes checked in a category fieldset. */
export function checked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
}

/** Hide every problem shown in a form. */
export function clearProblems(form) {
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}

/**
 * Show an API error's problems next to their fields ("month_days[2]" goes to month_days);
 * a problem without a field of the form goes to the slot named "form".
 */
export function showProblems(form, error) {
  clearProblems(form);
  const problem = error.problem || {};
  const rows =
    Array.isArray(problem.errors) && problem.errors.length && problem.errors[0].field !== undefined
      ? problem.errors
      : [{ field: problem.field || "", problem: error.message }];
  for (const { field: path, problem: text } of rows) {
    const name = String(path || "").split(/[.[]/)[0];
    const slot =
      form.querySelector(`.field-error[data-error-for="${name}"]`) ||
      form.querySelector('.field-error[data-error-for="form"]');
    if (!slot) continue;
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent}；${text}` : text;
    slot.closest(".field, fieldset")?.querySelector("input, select")?.setAttribute("aria-invalid", "true");
  }
}

/** "1-10, 15" as [1, …, 10, 15]; a part that is not a day or a range is returned as text. */
export function parseMonthDays(text) {
  const days = [];
  for (const part of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const range = /^(\d{1,2})\s*[-–~～至]\s*(\d{1,2})$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to) return { days, bad: part };
      for (let day = from; day <= to; day += 1) days.push(day);
    } else if (/^\d{1,3}$/.test(part)) {
      days.push(Number(part));
    } else {
      return { days, bad: part };
    }
  }
  return { days, bad: null };
}

/** [1, 2, 3, 5] as "1–3、5". */
export function monthDaysText(days) {
  const parts = [];
  let start = null;
  let previous = null;
  for (const day of [...days, null]) {
    if (start !== null && day === previous + 1) {
      previous = day;
      continue;
    }
    if (start !== null) parts.push(start === previous ? `${start}` : `${start}–${previous}`);
    start = previous = day;
  }
  return parts.join("、");
}
