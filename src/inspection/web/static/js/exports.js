// placeholder: the exports view is being built
import { fill, h } from "./dom.js";

export function init(section) {
  fill(section, h("p.card", "exports"));
}
