"""Byline -> Label Studio 1.23.2 -> Byline, with the labeling config Byline writes."""

from collections import Counter

import pytest

from corpus.models import Corpus
from tests.peers.corpus import (
    EMOJI_ID,
    REVIEWER_EMAIL,
    build_corpus,
    check_edits_came_back,
    export,
    import_back,
    linked_ranges_of,
    links_of,
    ranges_of,
    spans_of,
)

pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def label_studio_view(tasks: list[dict]) -> tuple[dict, dict]:
    """Return what Label Studio's export holds, by document id: (start, end, label, covered
    text) counts, and links as (source range and label, type, target's) counts."""
    ranges, linked = {}, {}
    for task in tasks:
        document, text = task["data"]["id"], task["data"]["text"]
        ranges[document] = Counter()
        for annotation in task["annotations"]:
            regions = {}
            for result in annotation["result"]:
                if result["type"] == "labels":
                    value = result["value"]
                    assert value["text"] == text[value["start"] : value["end"]]
                    [label] = value["labels"]
                    regions[result["id"]] = (value["start"], value["end"], label)
                    ranges[document][(value["start"], value["end"], label, value["text"])] += 1
            for result in annotation["result"]:
                if result["type"] == "relation":
                    [link_type] = result["labels"]
                    key = (regions[result["from_id"]], link_type, regions[result["to_id"]])
                    linked.setdefault(document, Counter())[key] += 1
    return ranges, linked


def test_label_studio_takes_our_file_and_gives_back_edits_exactly(label_studio, tmp_path):
    corpus = build_corpus(tmp_path)
    original, original_links = spans_of(corpus), links_of(corpus)
    written = tmp_path / "byline-tasks.json"
    export(corpus, written, "label-studio")
    config = (tmp_path / "label_config.xml").read_text()
    project = label_studio.create_project(config)
    label_studio.import_tasks(project, written)

    tasks = label_studio.export_json(project, tmp_path / "ls-unedited.json")
    # Label Studio marks every imported annotation ground truth and drops `annotator`.
    assert all(a["ground_truth"] for task in tasks for a in task["annotations"])
    ranges, linked = label_studio_view(tasks)
    assert ranges == ranges_of(corpus)
    assert linked == linked_ranges_of(corpus)

    # Unedited, its export comes back whole, analysts and gold included ...
    import_back(tmp_path / "ls-unedited.json", "From Label Studio", "label-studio")
    copy = Corpus.objects.get(name="From Label Studio")
    assert spans_of(copy) == original
    assert links_of(copy) == original_links
    # ... and changes nothing in the original.
    printed = import_back(tmp_path / "ls-unedited.json", corpus.name, "label-studio")
    assert "unchanged 5, failed files 0 of 1" in printed

    # Edits in Label Studio, through its API, as its editor saves them (whole annotations).
    [task] = [t for t in tasks if t["data"]["id"] == EMOJI_ID]
    text = task["data"]["text"]

    def annotation_with(region_id):
        [annotation] = [
            a for a in task["annotations"] if any(r.get("id") == region_id for r in a["result"])
        ]
        return annotation

    edited = {}
    for region_id in ("mark", "fans", "officials", "cava"):
        annotation = annotation_with(region_id)
        edited.setdefault(annotation["id"], annotation)
    mark = annotation_with("mark")
    mark["result"] = [r for r in mark["result"] if r.get("id") != "mark"]
    fans = next(r for r in annotation_with("fans")["result"] if r.get("id") == "fans")
    fans["value"]["labels"] = ["ANON_SOURCE"]
    count = next(
        r
        for r in annotation_with("officials")["result"]
        if r.get("id") == "officials" and r["from_name"] == "count"
    )
    count["value"]["number"] = 3
    ana = annotation_with("cava")
    ana["result"] = [
        r for r in ana["result"] if not (r["type"] == "relation" and r["from_id"] == "cava")
    ]
    cjk = text.index("中文")
    ana["result"].append(
        {
            "id": "ls-new",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": cjk, "end": cjk + 2, "text": "中文", "labels": ["ACTOR"]},
        }
    )
    for annotation_id, annotation in edited.items():
        label_studio.api(
            "PATCH", f"/api/annotations/{annotation_id}", {"result": annotation["result"]}
        )

    # Exported with each annotation's user as an object, so its e-mail names who added spans.
    tasks = label_studio.export_json(project, tmp_path / "ls-edited.json", users=True)
    [task] = [t for t in tasks if t["data"]["id"] == EMOJI_ID]
    assert {a["completed_by"]["email"] for a in task["annotations"]} == {REVIEWER_EMAIL}
    # Added in Label Studio by its user whose e-mail is the reviewer's.
    check_edits_came_back(
        tmp_path / "ls-edited.json",
        corpus,
        "label-studio",
        original=original,
        original_links=original_links,
        added=("ls-new", cjk, "rita"),
    )
