// The running jobs on a corpus page: each line polls its job's status.json until it ends.
import { describeCount, nextPollDelay, progressValue } from "./progress.js";

function show(line, status) {
  const badge = line.querySelector('[data-job-field="status"]');
  badge.textContent = status.status_display;
  badge.className = `job-status job-status-${status.status}`;
  line.querySelector('[data-job-field="count"]').textContent = describeCount(status);
  const bar = line.querySelector("progress");
  const value = progressValue(status);
  if (value === null) bar.removeAttribute("value");
  else bar.value = value;
}

async function poll(line, polls) {
  let status = null;
  try {
    const response = await fetch(line.dataset.jobStatusUrl, {
      headers: { Accept: "application/json" },
    });
    if (response.ok) status = await response.json();
  } catch {
    // A dropped connection: try again on the next tick.
  }
  if (status) show(line, status);
  const delay = status ? nextPollDelay(status, polls) : 2000;
  if (delay !== null) setTimeout(() => poll(line, polls + 1), delay);
}

for (const line of document.querySelectorAll("[data-job-status-url]")) poll(line, 0);
