// The job page: polls /jobs/<id>/status.json and moves the progress bar; reloads once at the end.
import { describeCount, needsReload, nextPollDelay, progressValue } from "./progress.js";

function show(status) {
  const badge = document.getElementById("job-status");
  badge.textContent = status.status_display;
  badge.className = `job-status job-status-${status.status}`;
  document.getElementById("job-count").textContent = describeCount(status);
  const bar = document.getElementById("job-progress");
  const value = progressValue(status);
  if (value === null) bar.removeAttribute("value");
  else bar.value = value;
}

async function poll(url, shown, polls) {
  let latest = shown;
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (response.ok) latest = await response.json();
  } catch {
    // A dropped connection: try again on the next tick.
  }
  if (needsReload(shown, latest)) {
    window.location.reload();
    return;
  }
  show(latest);
  const delay = nextPollDelay(latest, polls);
  if (delay !== null) setTimeout(() => poll(url, latest, polls + 1), delay);
}

function start() {
  const section = document.getElementById("job");
  const data = document.getElementById("job-status-data");
  if (!section || !data) return;
  const status = JSON.parse(data.textContent);
  const delay = nextPollDelay(status, 0);
  if (delay !== null) setTimeout(() => poll(section.dataset.statusUrl, status, 1), delay);
}

start();
