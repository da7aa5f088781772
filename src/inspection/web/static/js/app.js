// The desk's frame: sign in with a key, pick a view, and hand each view the shared state.
import { api, forgetKey, query, rememberKey, storedKey } from "./api.js";
import { addDays, fill, h, isoDate, mondayOf, showError, watchWideTables } from "./dom.js";
import { ROLE_NAMES, UNIT_HEAD } from "./labels.js";
import { loadUnits, on, state } from "./state.js";
import { buildRegionPicker } from "./region_picker.js";
import * as week from "./week.js";
import * as planning from "./planning.js";
import * as load from "./load.js";
import * as figures from "./figures.js";
import * as checklists from "./checklists.js";
import * as catalogue from "./catalogue.js";
import * as approvals from "./approvals.js";
import * as exports from "./exports.js";
import * as rules from "./rules.js";
import * as officers from "./officers.js";
import * as caps from "./caps.js";
import * as pending from "./pending.js";
import * as ratings from "./ratings.js";
import * as draws from "./draws.js";

// [id, tab label, roles that see it, module]
const VIEWS = [
  ["week", "周视图", ["unit", "coordinator", "auditor"], week],
  ["pending", "待填报", ["unit"], pending],
  ["plan", "排期", ["coordinator"], planning],
  ["load", "负荷", ["unit", "coordinator", "auditor"], load],
  ["figures", "统计", ["coordinator", "auditor"], figures],
  ["checklists", "检查清单", ["unit", "coordinator"], checklists],
  ["approvals", "审批", ["unit", "coordinator"], approvals],
  ["catalogue", "事项清单", ["unit", "coordinator"], catalogue],
  ["officers", "执法人员", ["unit", "coordinator"], officers],
  ["caps", "频次上限", ["unit", "coordinator", "auditor"], caps],
  ["draws", "随机抽查", ["unit", "coordinator", "auditor"], draws],
  ["rules", "规则", ["coordinator", "auditor"], rules],
  // rows for the supervisors only; a unit its own aggregate (Longhua: ratings go to the supervisor)
  ["ratings", "企业评价", ["unit", "coordinator", "auditor"], ratings],
  ["exports", "导出", ["unit", "coordinator"], exports],
];

const started = new Set();

// The week asked for in the address (?week=), else for coordinators the newest plan's
// (what they are working on), else this week, unless this week has nothing published the
// key may see: then the week of the newest published round (the week view says so).
async function initialWeek() {
  const asked = new URLSearchParams(location.search).get("week");
  if (asked && /^\d{4}-\d{2}-\d{2}$/.test(asked)) return mondayOf(asked);
  if (state.me.role === "coordinator") {
    const [newest] = await api("/plans?limit=1");
    if (newest) return mondayOf(newest.start);
  }
  const thisWeek = mondayOf(isoDate(new Date()));
  const latest = state.me.latest_published_day;
  if (!latest || mondayOf(latest) === thisWeek) return thisWeek;
  const here = await api(`/rounds${query({ from: thisWeek, to: addDays(thisWeek, 6) })}`);
  if (here.length > 0) return thisWeek;
  state.landedOn = mondayOf(latest);
  return state.landedOn;
}

/** The view and the rest of the address's hash: "#checklists/12" is ["checklists", "12"]. */
function route() {
  const [id, ...rest] = location.hash.slice(1).split("/");
  return [id, rest.join("/")];
}

// `rest` is a place inside the view (a checklist's page), handed to its show()
function showView(id, rest = "") {
  for (const [viewId, , , module] of VIEWS) {
    const section = document.getElementById(`view-${viewId}`);
    const tab = document.querySelector(`#tabs [data-view="${viewId}"]`);
    const active = viewId === id;
    section.hidden = !active;
    if (tab) tab.setAttribute("aria-selected", String(active));
    if (active) {
      if (!started.has(viewId)) {
        started.add(viewId);
        module.init(section);
      }
      module.show?.(rest);
    }
  }
  history.replaceState(null, "", `#${rest ? `${id}/${rest}` : id}`);
}

function buildTabs() {
  const visible = VIEWS.filter(([, , roles]) => roles.includes(state.me.role));
  fill(
    document.getElementById("tabs"),
    visible.map(([id, label]) =>
      h("button", { type: "button", role: "tab", dataset: { view: id }, on: { click: () => showView(id) } }, label),
    ),
  );
  return visible;
}

async function enter() {
  state.me = await api("/me");
  await loadUnits();
  state.weekStart = await initialWeek();
  const who = document.getElementById("who-name");
  const head = state.me.unit_head ? `（${UNIT_HEAD}）` : "";
  const unit = state.me.unit_name ? ` · ${state.me.unit_name}${head}` : "";
  const region = state.me.region_name ? `${state.me.region_name} · ` : "";
  who.textContent = `${region}${ROLE_NAMES[state.me.role] || state.me.role}${unit} · ${state.me.name}`;
  await buildRegionPicker();
  document.getElementById("login").hidden = true;
  document.getElementById("who").hidden = false;
  document.getElementById("tabs").hidden = false;
  document.getElementById("views").hidden = false;
  const visible = buildTabs();
  if (visible.length === 0) {
    fill(document.getElementById("views"), h("p.card", "此密钥的角色没有可用的工作台页面，请使用命令行或 API 管理密钥。"));
    return;
  }
  const [wanted, rest] = route();
  if (visible.some(([id]) => id === wanted)) showView(wanted, rest);
  else showView(visible[0][0]);
}

// links inside a view ("#checklists/12") and the browser's back button move between its places
window.addEventListener("hashchange", () => {
  if (state.me === null) return;
  const [wanted, rest] = route();
  if (VIEWS.some(([id, , roles]) => id === wanted && roles.includes(state.me.role))) showView(wanted, rest);
});

function signOut(message) {
  forgetKey();
  if (message) sessionStorage.setItem("inspection.loginMessage", message);
  history.replaceState(null, "", location.pathname + location.search);
  location.reload();
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById("api-key");
  const error = document.getElementById("login-error");
  error.textContent = "";
  rememberKey(input.value.trim());
  try {
    await enter();
    input.value = "";
  } catch (failure) {
    forgetKey();
    error.textContent = failure.message || "无法连接服务";
  }
}

// a publication moves where the newest published data is
on("published", () => {
  api("/me")
    .then((me) => (state.me.latest_published_day = me.latest_published_day))
    .catch(showError);
});

window.addEventListener("desk:unauthorized", () => {
  if (state.me !== null) signOut("密钥已失效，请重新输入");
});

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login-form").addEventListener("submit", signIn);
  document.getElementById("logout").addEventListener("click", () => signOut());
  watchWideTables(document.getElementById("views"));
  const message = sessionStorage.getItem("inspection.loginMessage");
  if (message) {
    document.getElementById("login-error").textContent = message;
    sessionStorage.removeItem("inspection.loginMessage");
  }
  if (storedKey()) {
    enter().catch((failure) => {
      forgetKey();
      document.getElementById("login").hidden = false;
      document.getElementById("login-error").textContent = failure.message;
    });
  } else {
    document.getElementById("login").hidden = false;
  }
});
