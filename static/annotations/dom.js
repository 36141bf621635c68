// Small DOM helpers shared by the annotation page's views (panel.js, editor.js,
// docpanel.js): elements built with text nodes, never HTML.
//
// Nothing here runs on import; `document` is read only when a function is called.

import { safeColour } from "./textmodel.js";

/** Return a new element; string children become text nodes, never HTML. */
export function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of [children].flat()) {
    if (child === "" || child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Return the colour chip of `label`. */
export function swatch(label) {
  return element("span", {
    class: "swatch",
    style: `background: ${safeColour(label.colour)}`,
    "aria-hidden": "true",
  });
}
