// What the job page shows for a job's status (the JSON of /jobs/<id>/status.json). Pure: no DOM.

// How long to wait before asking again, in milliseconds; null once the job has ended.
export function nextPollDelay(status, polls = 0) {
  if (status.finished) return null;
  // Quick at first, so a short job shows its end at once; then once a second.
  return polls < 5 ? 400 : 1000;
}

// The counter beside the status: "120 of 10000", or "120" while the total is unknown.
export function describeCount(status) {
  if (status.items_total === null || status.items_total === undefined) {
    return String(status.items_done);
  }
  return `${status.items_done} of ${status.items_total}`;
}

// The progress bar's value (0-100), or null for an indeterminate bar.
export function progressValue(status) {
  if (status.percent === null || status.percent === undefined) return null;
  return Math.max(0, Math.min(100, status.percent));
}

// Whether the page must reload to show what only the server renders: the summary, the
// problems and the download of a job that has just ended.
export function needsReload(shown, latest) {
  return !shown.finished && latest.finished;
}
