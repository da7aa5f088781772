// The header's region picker (工作区域): shown to a key that covers several regions (GET /regions,
// the key's region and those under it); the chosen one (kept in localStorage while the key still
// sees it, else the key's own, GET /me `region`) is the region the planning views work on.
import { api } from "./api.js";
import { fill, h } from "./dom.js";
import { REGION_LEVELS, REGION_PICKER } from "./labels.js";
import { emit, state } from "./state.js";

const STORED = "inspection.region";

/** Read the regions the key may act for and show the picker when there are several. */
export async function buildRegionPicker() {
  const holder = document.getElementById("region-pick");
  state.region = null; // no region named: the server's default, as before regions existed
  if (state.me.role !== "coordinator") { // the planning views are the coordinators'
    holder.hidden = true;
    return;
  }
  const regions = await api("/regions");
  if (regions.length < 2) {
    holder.hidden = true;
    return;
  }
  const codes = new Set(regions.map((r) => r.code));
  const stored = localStorage.getItem(STORED);
  state.region = stored && codes.has(stored) ? stored : state.me.region;
  const depth = (region) => region.path.split("/").length - regions[0].path.split("/").length;
  const select = h(
    "select#region-select",
    {
      name: "region",
      on: {
        change: () => {
          state.region = select.value;
          localStorage.setItem(STORED, select.value);
          emit("region");
        },
      },
    },
    ...regions.map((r) =>
      h(
        "option",
        { value: r.code, selected: r.code === state.region },
        `${"\u3000".repeat(Math.max(0, depth(r)))}${r.name}（${REGION_LEVELS[r.level] || r.level}）`,
      ),
    ),
  );
  select.value = state.region;
  fill(holder, h("span", REGION_PICKER), select);
  holder.hidden = false;
}
