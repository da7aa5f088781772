// Importing checklists from a file: the template, the upload, and a refused file's bad rows.
import { api, download, query } from "./api.js";
import { fill, h, showError, toast } from "./dom.js";

function templateButton(id, label, path, name, secondary) {
  const click = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await download(path, name);
    } catch (error) {
      showError(error);
    } finally {
      button.disabled = false;
    }
  };
  return h(`button#${id}${secondary ? ".secondary" : ""}`, { type: "button", on: { click } }, label);
}

/** What an import did, in words: new, already imported (unchanged), amended. */
function importResult(summary) {
  const parts = [];
  if (summary.created) parts.push(`新建 ${summary.created} 份检查清单`);
  if (summary.amended) parts.push(`按文件修改了 ${summary.amended} 份`);
  if (summary.unchanged) parts.push(`${summary.unchanged} 份此前已导入、内容未变，没有重复保存`);
  return parts.length ? `导入完成：${parts.join("；")}。` : "文件中没有检查清单。";
}

/** The import card; `onImported` runs after a file went in (to reload the list). */
export function importCard(onImported) {
  const file = h("input#import-file", { type: "file", name: "file", accept: ".xlsx,.csv", required: true });
  const card = h(
    "section.card.import",
    h("h2", "导入检查清单"),
    h(
      "p.hint",
      "先下载模板，按“填写说明”每行填写一项检查事项，编号相同的行合为一份清单；再选择填好的文件导入。",
      "文件中任何一处有错，整个文件都不会导入。",
    ),
    h(
      "div.toolbar",
      templateButton("template-xlsx", "下载 Excel 模板", "/checklists/template.xlsx", "检查清单导入模板.xlsx", true),
      templateButton("template-csv", "下载 CSV 模板", "/checklists/template.csv", "检查清单导入模板.csv", true),
    ),
    h(
      "form#import-form.toolbar",
      { on: { submit: (event) => submitImport(event, card, onImported) } },
      h("label", "选择文件（.xlsx 或 .csv）", file),
      h("button#import-submit", { type: "submit" }, "导入"),
    ),
    h("p#import-result.hint", { hidden: true, role: "status" }),
    h("div#import-errors", { hidden: true, role: "alert" }),
  );
  return card;
}

function showImportErrors(error, form, card, onImported) {
  const box = card.querySelector("#import-errors");
  const rows = Array.isArray(error.problem?.errors) ? error.problem.errors : [];
  // a checklist imported before with other content: the file may be imported as amendments
  const changed = rows.filter((e) => e.column === "清单编号" && e.problem.includes("按修改导入"));
  box.hidden = false;
  if (rows.length === 0) {
    fill(box, h("p.error.import-problem", `导入失败：${error.message}`));
    return;
  }
  fill(
    box,
    h(
      "p.error.import-problem",
      `导入失败：文件中共有 ${rows.length} 处错误。导入是全部或全不：本次没有保存任何检查清单，`,
      "请按下表的行号和列修改文件后重新导入。",
    ),
    changed.length
      ? h(
          "p.import-amend",
          `其中 ${changed.length} 份清单此前已导入，本文件中的内容与之不同。若本文件是修订后的版本，可以`,
          h(
            "button#import-amend.secondary",
            { type: "button", on: { click: () => sendImport(form, "amend", card, onImported) } },
            "按修改导入",
          ),
          "：这些清单会改成本文件的内容（已排入已发布排期的清单不能修改）。",
        )
      : null,
    h(
      "div.table-wrap",
      h(
        "table#import-error-table",
        h(
          "thead",
          h("tr", h("th.num", { scope: "col" }, "行号"), h("th", { scope: "col" }, "列"), h("th", { scope: "col" }, "问题")),
        ),
        h(
          "tbody",
          rows.map((e) =>
            h(
              "tr",
              { dataset: { row: e.row, column: e.column } },
              h("td.num", String(e.row)),
              h("td", e.column),
              h("td", e.problem),
            ),
          ),
        ),
      ),
    ),
  );
}

async function submitImport(event, card, onImported) {
  event.preventDefault();
  await sendImport(event.currentTarget, "refuse", card, onImported);
}

/** Upload the chosen file; `onChange` says what to do with checklists imported before. */
async function sendImport(form, onChange, card, onImported) {
  const input = form.querySelector("#import-file");
  const button = form.querySelector("#import-submit");
  const box = card.querySelector("#import-errors");
  const result = card.querySelector("#import-result");
  if (!input.files.length) {
    input.reportValidity();
    return;
  }
  const body = new FormData();
  body.append("file", input.files[0]);
  button.disabled = true;
  button.textContent = "正在导入…";
  result.hidden = true;
  try {
    const summary = await api(`/checklists/import${query({ on_change: onChange })}`, { method: "POST", form: body });
    box.hidden = true;
    fill(box);
    form.reset();
    result.textContent = importResult(summary);
    Object.assign(result.dataset, {
      created: summary.created,
      unchanged: summary.unchanged,
      amended: summary.amended,
    });
    result.hidden = false;
    toast(importResult(summary), "good");
    await onImported();
  } catch (error) {
    showImportErrors(error, form, card, onImported);
  } finally {
    button.disabled = false;
    button.textContent = "导入";
  }
}
