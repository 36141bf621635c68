"""Measure the annotation page on a long document: time to open it and to add one span.

    .venv/bin/python -m bench.annotation_page [--chars 200000] [--spans 5000] [--adds 25]

Builds a throwaway SQLite database in a temporary folder, serves Byline from a thread and
drives Debian's Chromium (headless, through Playwright) as an analyst would; prints a table.
Times are wall-clock milliseconds measured in the page (Performance API): "open" runs from
navigation start until the text and the side panel are drawn and the next frame is painted;
"add span" runs from the label key until the next frame is painted (saving happens after,
in the background).
"""

import argparse
import os
import random
import re
import statistics
import tempfile
import threading
from pathlib import Path

from bench.benchlib import REPO_ROOT, setup_django

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "bench-password-not-secret"
EXTRA = " Fans 😀👍🏽 of e\u0301 and 中文 𠀀 cheered."

SELECT_AND_ADD = """async ([start16, end16, key]) => {
  const root = document.getElementById("doc-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0, startAt = null, endAt = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!startAt && start16 < seen + node.length) startAt = [node, start16 - seen];
    if (!endAt && end16 <= seen + node.length) { endAt = [node, end16 - seen]; break; }
    seen += node.length;
  }
  root.focus();
  window.getSelection().setBaseAndExtent(...startAt, ...endAt);
  const count = () => Number(document.getElementById("span-total").textContent);
  const before = count();
  const t0 = performance.now();
  document.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}));
  const handled = performance.now() - t0;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const painted = performance.now() - t0;
  const added = count() - before;
  return {handled, painted, added};
}"""

OPEN_TIMES = """async () => {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const painted = performance.now();
  const [navigation] = performance.getEntriesByType("navigation");
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  return {
    server: navigation.responseStart - navigation.requestStart,
    html: navigation.responseEnd - navigation.requestStart,
    script: mark("byline:ready") - mark("byline:script-start"),
    parse: mark("byline:layout-start") - mark("byline:script-start"),
    layout: mark("byline:text-start") - mark("byline:layout-start"),
    text: mark("byline:panel-start") - mark("byline:text-start"),
    panel: mark("byline:panel-end") - mark("byline:panel-start"),
    ready: mark("byline:ready"),
    painted,
    bytes: navigation.encodedBodySize,
    pieces: document.querySelectorAll("#doc-text .seg").length,
  };
}"""


SUGGESTIONS_TIME = """() => {
  const [entry] = performance.getEntriesByType("resource").filter(
    (e) => new URL(e.name).pathname.endsWith("/suggestions/"));
  return entry.responseEnd - entry.requestStart;
}"""


def setup_database(folder: Path) -> None:
    """Set Django up on a new SQLite database in `folder`, migrated."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["BYLINE_SECRET_KEY_FILE"] = str(folder / "secret")
    os.environ["BYLINE_HTTPS"] = "0"
    os.environ["DEBUG"] = "0"
    # Playwright's sync API keeps an event loop in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def long_text(chars: int) -> str:
    """Return `chars` code points of news prose: the seed articles over and over."""
    seeds = [
        path.read_text(encoding="utf-8")
        for path in sorted(REPO_ROOT.glob("corpus/fixtures/seed/*"))
    ]
    paragraphs = [p.strip() for seed in seeds for p in seed.split("\n") if p.strip()]
    out, size, i = [], 0, 0
    while size < chars:
        paragraph = paragraphs[i % len(paragraphs)] + (EXTRA if i % 7 == 0 else "")
        out.append(paragraph)
        size += len(paragraph) + 2
        i += 1
    text = "\n\n".join(out)[:chars]
    return text[:-1] + "." if text[-1].isspace() else text


def random_spans(text: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Return `count` distinct ranges of one to eight whole words."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    ranges: set[tuple[int, int]] = set()
    while len(ranges) < count:
        first = rng.randrange(len(words) - 8)
        last = first + rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 7])
        ranges.add((words[first][0], words[last][1]))
    return sorted(ranges)


def build_document(chars: int, span_count: int):
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus
    from annotations.models import Annotation
    from annotations.validation import validate_span
    from corpus.models import Assignment, Document, Membership, sha256_hex

    rng = random.Random(20250322)
    analyst = get_user_model().objects.create_user("bench", password=PASSWORD)
    corpus = get_or_create_corpus("Bench")
    # The analyst's own layer of a document assigned to them: what an annotator opens.
    Membership.objects.create(corpus=corpus, user=analyst, role=Membership.Role.ANNOTATOR)
    labels = list(corpus.labels.all())
    text = long_text(chars)
    document = Document.objects.create(
        corpus=corpus, external_id="long", title="A long document", text=text,
        text_sha256=sha256_hex(text),
    )  # fmt: skip
    Assignment.objects.create(document=document, annotator=analyst)
    spans = []
    for start, end in random_spans(text, span_count, rng):
        validate_span(text, start, end)
        spans.append(
            Annotation(
                document=document,
                label=rng.choice(labels),
                start=start,
                end=end,
                text=text[start:end],
                annotator=analyst,
            )
        )
    Annotation.objects.bulk_create(spans, batch_size=1000)
    return document


def serve() -> str:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def add_targets(text: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Return UTF-16 ranges of a few words each, spread over the document."""
    offsets = []
    position16 = 0
    for character in text:
        offsets.append(position16)
        position16 += 2 if ord(character) > 0xFFFF else 1
    offsets.append(position16)
    return [(offsets[s], offsets[e]) for s, e in random_spans(text, count, rng)]


def summary(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return f"{statistics.median(values):8.1f} {p90:8.1f} {values[-1]:8.1f}   (n={len(values)})"


def log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "bench")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def time_opens(page, base: str, document, count: int) -> list[dict]:
    """Open the document `count` times; return the page's timings of each opening, with the
    time of its suggestions request (the first opening makes them: seconds on this document).

    Once ready, the page asks for its suggestions. Each opening waits for that answer before
    the next: this server is one process whose threads share one interpreter lock, so a
    request still running would slow the next opening's as a server of several worker
    processes would not, and an analyst reads a page before opening the next.
    """
    opens = []
    for _ in range(count):
        page.goto(f"{base}/")  # Open from a light page, as from the document list.
        page.goto(f"{base}/documents/{document.pk}/")
        page.wait_for_selector("body[data-ready=true]")
        opens.append(page.evaluate(OPEN_TIMES))
        page.wait_for_selector("#review-bar[data-state=ready]", timeout=600_000)
        opens[-1]["suggestions"] = page.evaluate(SUGGESTIONS_TIME)
    return opens


def time_adds(page, document, count: int) -> list[dict]:
    """Add up to `count` ACTOR spans through the keyboard; return the timings of each add."""
    adds = []
    for start16, end16 in add_targets(document.text, count, random.Random(7)):
        result = page.evaluate(SELECT_AND_ADD, [start16, end16, "a"])
        if result["added"] != 1:
            continue  # The same range already had an ACTOR span.
        adds.append(result)
        page.wait_for_selector("#save-state[data-state=saved]")
    return adds


def print_report(document, span_count: int, opens: list[dict], adds: list[dict]) -> None:
    print(
        f"Annotation page, {len(document.text):,} characters, {span_count:,} spans "
        f"({opens[0]['pieces']:,} marked pieces drawn on opening, "
        f"{opens[0]['bytes'] / 1e6:.1f} MB of HTML)"
    )
    print(f"{'milliseconds':<44} {'median':>8} {'p90':>8} {'max':>8}")
    rows = [
        ("open: server answers (first byte)", [o["server"] for o in opens]),
        ("open: HTML received", [o["html"] for o in opens]),
        ("open: page script (parse, lay out, render)", [o["script"] for o in opens]),
        ("  of which: parse data, build state", [o["parse"] for o in opens]),
        ("  of which: lay out spans (layout.js)", [o["layout"] for o in opens]),
        ("  of which: build the text's DOM", [o["text"] for o in opens]),
        ("  of which: build the side panel", [o["panel"] for o in opens]),
        ("open: navigation start -> ready", [o["ready"] for o in opens]),
        ("open: navigation start -> painted", [o["painted"] for o in opens]),
        ("suggestions: first open's request (makes)", [opens[0]["suggestions"]]),
        ("suggestions: later opens' request (lists)", [o["suggestions"] for o in opens[1:]]),
        ("add span: key handler (layout + redraw)", [a["handled"] for a in adds]),
        ("add span: key -> next frame painted", [a["painted"] for a in adds]),
    ]
    for name, values in rows:
        print(f"{name:<44} {summary(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--spans", type=int, default=5_000)
    parser.add_argument("--adds", type=int, default=25)
    parser.add_argument("--opens", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="byline-bench-") as folder:
        setup_database(Path(folder))
        document = build_document(args.chars, args.spans)
        base = serve()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            log_in(page, base)
            opens = time_opens(page, base, document, args.opens)
            adds = time_adds(page, document, args.adds)
            browser.close()
        saved = document.annotations.count()
    print_report(document, args.spans, opens, adds)
    print(f"spans saved after the run: {saved:,} ({len(adds)} added through the page)")


if __name__ == "__main__":
    main()
