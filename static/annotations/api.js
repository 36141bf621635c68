// JSON requests to Byline's API, with the CSRF token and readable errors.
//
// Pure module: `fetch` is passed in, so `node --test tests/js/` tests it without a server.

/** A request that did not succeed: `status` is 0 when the server was not reached. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {unknown} body
   */
  constructor(status, body) {
    super(describeError(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/**
 * Return a one-line, human message for a failed request.
 *
 * DRF answers `{"detail": "..."}` or `{"field": ["message", ...], ...}`.
 *
 * @param {number} status
 * @param {unknown} body
 * @returns {string}
 */
export function describeError(status, body) {
  if (status === 0) return "The server could not be reached.";
  if (body && typeof body === "object" && !Array.isArray(body)) {
    if (typeof body.detail === "string") return body.detail;
    const parts = [];
    for (const [field, messages] of Object.entries(body)) {
      const text = [messages]
        .flat(Infinity)
        .filter((m) => typeof m === "string")
        .join(" ");
      if (!text) continue;
      parts.push(field === "non_field_errors" ? text : `${field}: ${text}`);
    }
    if (parts.length > 0) return parts.join("; ");
  }
  if (status === 401 || status === 403) return "You are not logged in any more.";
  if (status === 404) return "Not found: it may have been deleted.";
  return `The server answered ${status}.`;
}

/**
 * Return functions that send JSON requests with the page's CSRF token.
 *
 * Each resolves to the decoded answer (null for 204) or rejects with an ApiError.
 *
 * @param {{csrfToken: string, fetch: typeof fetch}} options
 */
export function createApi({ csrfToken, fetch }) {
  async function send(method, url, body) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrfToken };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, null);
    }
    let answer = null;
    if (response.status !== 204) {
      try {
        answer = await response.json();
      } catch {
        answer = null;
      }
    }
    if (!response.ok) throw new ApiError(response.status, answer);
    return answer;
  }
  return {
    get: (url) => send("GET", url),
    post: (url, body) => send("POST", url, body),
    put: (url, body) => send("PUT", url, body),
    patch: (url, body) => send("PATCH", url, body),
    delete: (url) => send("DELETE", url),
  };
}
