// The review page without reloads: adjudication forms are posted with fetch and the parts
// of the page they change are swapped in place, so the reviewer stays where they were.
// Without this script the same forms post and redirect back (the server answers both).
// Side-by-side columns scroll together, so the same passage is in view in every layer.
// On a phone the views and links fold behind a menu button (collapsible.js).

import { createCollapsible } from "../annotations/collapsible.js";

/** Post `form` asking for JSON; return the server's answer, or throw with its reason. */
export async function postForm(form, submitter) {
  const body = new FormData(form);
  if (submitter?.name) body.append(submitter.name, submitter.value);
  const response = await fetch(form.action, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "X-CSRFToken": body.get("csrfmiddlewaretoken") ?? "",
    },
  });
  if (!response.ok) {
    throw new Error(`the server answered ${response.status} ${response.statusText}`);
  }
  return response.json();
}

/** Show `message` in the page's status line, styled by `level` (success, info, error). */
export function showStatus(message, level) {
  const status = document.getElementById("review-status");
  if (!status) return;
  status.textContent = message;
  status.dataset.level = level;
  status.hidden = false;
}

/** Swap in the adjudication section and gold column from `answer`, keeping the scroll. */
export function applyAnswer(answer, chosenSpan) {
  const { scrollX, scrollY } = window;
  const section = document.getElementById("adjudication");
  const template = document.createElement("template");
  template.innerHTML = answer.adjudication;
  section.replaceWith(template.content);
  const gold = document.querySelector('section.layer[data-layer="gold"]');
  if (gold) {
    // The text's container stays, so the column keeps its scroll position.
    gold.querySelector(".layer-text").innerHTML = answer.gold;
    const legend = document.createElement("template");
    legend.innerHTML = answer.gold_legend.trim();
    gold.querySelector(".label-legend").replaceWith(legend.content);
  }
  window.scrollTo(scrollX, scrollY);
  if (chosenSpan) {
    for (const row of document.querySelectorAll("#adjudication tr.variant")) {
      if (row.dataset.spans.split(" ").includes(chosenSpan)) row.classList.add("just-accepted");
    }
  }
  showStatus(answer.message, answer.level);
}

async function adjudicate(event) {
  const form = event.target.closest("form[data-adjudicate]");
  if (!form) return;
  event.preventDefault();
  const buttons = form.querySelectorAll("button");
  for (const button of buttons) button.disabled = true;
  try {
    const answer = await postForm(form, event.submitter);
    applyAnswer(answer, form.querySelector("input[name=span]")?.value);
  } catch (error) {
    for (const button of buttons) button.disabled = false;
    showStatus(`Could not save the adjudication: ${error.message}. Nothing changed; try again.`, "error");
  }
}

/** Make every element of `columns` follow the scrolling of any other, proportionally. */
export function syncScroll(columns) {
  let leader = null;
  let release = 0;
  for (const column of columns) {
    column.addEventListener("scroll", () => {
      // The followers' own scroll events must not make them lead in turn.
      if (leader && leader !== column) return;
      leader = column;
      clearTimeout(release);
      release = setTimeout(() => { leader = null; }, 150);
      const range = column.scrollHeight - column.clientHeight;
      const ratio = range > 0 ? column.scrollTop / range : 0;
      for (const other of columns) {
        if (other !== column) other.scrollTop = ratio * (other.scrollHeight - other.clientHeight);
      }
    }, { passive: true });
  }
}

document.addEventListener("submit", adjudicate);
createCollapsible({
  button: document.getElementById("review-menu-toggle"),
  root: document.getElementById("review-top"),
});
syncScroll([...document.querySelectorAll(".layers .layer-text")]);
