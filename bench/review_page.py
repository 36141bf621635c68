"""Measure reviewing suggestions on the annotation page of a long document.

    .venv/bin/python -m bench.review_page [--chars 200000] [--spans 2000] [--suggestions 4000]

Builds a throwaway SQLite database (bench/annotation_page.py's document: the seed articles
over and over, with the analyst's spans), stores a suggestions layer of random ranges, and
drives Debian's Chromium as an analyst reviewing: open the page until the suggestions are
drawn, step with Tab, accept with y, reject with n. Times are wall-clock milliseconds
measured in the page: "draw" is one drawing of every open suggestion's outline; a key's
time runs from the key until the next frame is painted (requests happen after).
"""

import argparse
import random
import tempfile
from pathlib import Path

from bench.annotation_page import (
    CHROMIUM,
    CHROMIUM_ARGS,
    build_document,
    log_in,
    random_spans,
    serve,
    setup_database,
    summary,
)

PRESS = """async (key) => {
  const t0 = performance.now();
  document.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}));
  const handled = performance.now() - t0;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return {handled, painted: performance.now() - t0};
}"""

DRAWS = """() => performance.getEntriesByName("byline:suggestions-draw").map((e) => e.duration)"""


def store_suggestions(document, count: int) -> int:
    from assist.candidates import Candidate
    from assist.suggest import corpus_labels, replace_suggestions

    rng = random.Random(14)
    labels = corpus_labels(document.corpus)
    keys = sorted(labels)
    made = [
        Candidate(rng.choice(keys), start, end, suggester="bench", score=0.5)
        for start, end in random_spans(document.text, count, rng)
    ]
    return sum(replace_suggestions({document.pk: made}, labels).values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--spans", type=int, default=2_000)
    parser.add_argument("--suggestions", type=int, default=4_000)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="byline-bench-") as folder:
        setup_database(Path(folder))
        document = build_document(args.chars, args.spans)
        stored = store_suggestions(document, args.suggestions)
        base = serve()
        from playwright.sync_api import sync_playwright

        opens, draws, keys = [], [], {"Tab": [], "y": [], "n": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            log_in(page, base)
            for _ in range(args.opens):
                page.goto(f"{base}/")
                page.goto(f"{base}/documents/{document.pk}/")
                page.wait_for_selector("#review-bar[data-state=ready]")
                page.wait_for_function(f"() => ({DRAWS})().length > 0")
                opens.append(page.evaluate("() => performance.now()"))
                draws.extend(page.evaluate(DRAWS))
            for i in range(args.keys):
                keys["Tab"].append(page.evaluate(PRESS, "Tab"))
                key = "y" if i % 2 else "n"
                keys[key].append(page.evaluate(PRESS, key))
                page.wait_for_selector("#save-state[data-state=saved]")
            draws.extend(page.evaluate(DRAWS))
            browser.close()
        accepted = document.annotations.count() - args.spans

    print(
        f"Review on the annotation page, {len(document.text):,} characters, {args.spans:,} "
        f"spans, {stored:,} suggestions"
    )
    print(f"{'milliseconds':<44} {'median':>8} {'p90':>8} {'max':>8}")
    rows = [
        ("open: navigation start -> outlines drawn", opens),
        ("draw every open outline", draws),
        *[
            (f"{key}: key -> next frame painted", [t["painted"] for t in times])
            for key, times in keys.items()
        ],
    ]
    for name, values in rows:
        print(f"{name:<44} {summary(values)}")
    print(f"spans accepted through the page: {accepted}")


if __name__ == "__main__":
    main()
