"""A stored text re-imported with other spans: reported, and applied with --update."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from simple_history.utils import get_history_manager_for_model

from annotations.interchange.imports import import_paths
from annotations.models import Annotation, Relation
from corpus.models import Membership
from tests.annotations.formats.corpora import byline_lines, make_synthetic_corpus


def write_lines(tmp_path, lines, name="edited.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return path


def spans_of(corpus):
    return {
        (span.document.external_id, span.uid): (
            span.label.key,
            span.start,
            span.end,
            span.annotator.username if span.annotator else None,
            span.is_gold,
            span.attributes,
        )
        for span in Annotation.objects.filter(document__corpus=corpus).select_related(
            "label", "annotator", "document"
        )
    }


def links_of(corpus):
    return {
        (link.source.uid, link.type, link.target.uid)
        for link in Relation.objects.filter(document__corpus=corpus).select_related(
            "source", "target"
        )
    }


def edit(lines):
    """Edit the synthetic corpus's lines as a team would in another tool: add a span, delete
    one (and so its link), relabel one, change an attribute, and give a quote a speaker."""
    by_id = {line["id"]: line for line in lines}
    emoji, chinese = by_id["emoji and combining"], by_id["中文/北京"]
    text = emoji["text"]
    start = text.index("Zoe")
    emoji["spans"].append(
        {
            "id": "new-zoe",
            "start": start,
            "end": start + 3,
            "label": "ACTOR",
            "text": "Zoe",
            "annotator": "ben",
            "attributes": {},
        }
    )
    emoji["spans"] = [span for span in emoji["spans"] if span["id"] != "mark"]
    officials = next(span for span in emoji["spans"] if span["id"] == "officials")
    officials["attributes"] = {**officials["attributes"], "count": 3}
    fans = next(span for span in emoji["spans"] if span["id"] == "fans")
    fans["label"] = "ANON_SOURCE"
    # The Chinese quote's speaker was deleted with its span.
    chinese["spans"] = [span for span in chinese["spans"] if span["id"] != "mayor"]
    chinese["relations"] = []
    return lines


@pytest.mark.django_db
def test_a_stored_text_with_other_spans_is_reported_not_ignored(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    before = spans_of(corpus)
    path = write_lines(tmp_path, edit(byline_lines(corpus)))
    out = io.StringIO()
    call_command("import_documents", str(path), corpus=corpus.name, stdout=out)
    assert (
        "created 0 documents (0 spans, 0 relations), unchanged 1, changed 2: 1 spans added, "
        "2 removed, 1 relabelled, 1 with other attributes, 0 links added, 1 removed, "
        "failed files 0 of 1" in out.getvalue()
    )
    assert "import again with --update" in out.getvalue()
    assert spans_of(corpus) == before


@pytest.mark.django_db
def test_update_applies_every_change_through_the_actions_with_history(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    before = spans_of(corpus)
    links_before = links_of(corpus)
    path = write_lines(tmp_path, edit(byline_lines(corpus)))
    history = get_history_manager_for_model(Annotation)
    rows_before = history.count()
    report = import_paths([path], corpus=corpus, update=True)
    assert not report.failures, report.failures[0].problem
    assert (report.created, report.unchanged, report.changed) == (0, 1, 2)
    changes = report.changes
    assert (changes.added, changes.removed, changes.relabelled, changes.edited) == (1, 2, 1, 1)
    assert (changes.links_added, changes.links_removed) == (0, 1)
    after = spans_of(corpus)
    emoji = "emoji and combining"
    expected = dict(before)
    del expected[(emoji, "mark")]
    del expected["中文/北京", "mayor"]
    expected[(emoji, "fans")] = ("ANON_SOURCE",) + before[(emoji, "fans")][1:]
    label, start, end, who, gold, attributes = before[(emoji, "officials")]
    expected[(emoji, "officials")] = (label, start, end, who, gold, attributes | {"count": 3})
    zoe = before[(emoji, "zoe")]
    expected[(emoji, "new-zoe")] = ("ACTOR", zoe[1], zoe[1] + 3, "ben", False, {})
    assert after == expected
    assert links_of(corpus) == links_before - {("quote", "speaker", "mayor")}
    # A history row for each span added, removed, relabelled or edited.
    assert history.count() - rows_before == 5
    again = import_paths([path], corpus=corpus, update=True)
    assert (again.unchanged, again.changed) == (3, 0)


@pytest.mark.django_db
def test_a_dry_run_prints_the_diff_and_changes_nothing(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    before = spans_of(corpus)
    path = write_lines(tmp_path, edit(byline_lines(corpus)))
    out = io.StringIO()
    call_command(
        "import_documents", str(path), corpus=corpus.name, update=True, dry_run=True, stdout=out
    )
    printed = out.getvalue()
    assert "emoji and combining (line 1):" in printed
    assert "'Zoe' (ben)" in printed
    assert "'Mark' (ben)" in printed
    assert "~ ACTOR -> ANON_SOURCE" in printed
    assert "would update 2 documents" in printed
    assert spans_of(corpus) == before


@pytest.mark.django_db
def test_update_removes_spans_only_in_the_layers_the_file_covers(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    before = spans_of(corpus)
    # A file of ben's layer only, where ben deleted his "families".
    lines = byline_lines(corpus)
    for line in lines:
        line["spans"] = [s for s in line["spans"] if s["annotator"] == "ben" and not s.get("gold")]
        line["relations"] = []
    lines[0]["spans"] = [s for s in lines[0]["spans"] if s["id"] != "families"]
    report = import_paths([write_lines(tmp_path, lines)], corpus=corpus, update=True)
    assert (report.changed, report.changes.removed) == (1, 1)
    expected = dict(before)
    del expected["emoji and combining", "families"]
    assert spans_of(corpus) == expected


@pytest.mark.django_db
def test_spans_added_elsewhere_are_attributed_to_the_user_the_import_acts_for(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    chief = get_user_model().objects.create(username="chief")
    Membership.objects.create(corpus=corpus, user=chief, role=Membership.Role.MANAGER)
    [line] = [line for line in byline_lines(corpus) if line["id"] == "japanese"]
    text = line["text"]
    start = text.index("東京")
    # As the doccano reader gives a span added there: no id recorded, no annotator.
    path = tmp_path / "doccano.jsonl"
    entities = [
        {"id": 50 + i, "start_offset": s["start"], "end_offset": s["end"], "label": s["label"]}
        for i, s in enumerate(line["spans"])
    ]
    entities.insert(0, {"id": 7, "start_offset": start, "end_offset": start + 2, "label": "ACTOR"})
    doccano = {
        "text": text,
        "id": line["id"],
        "entities": entities,
        "relations": [],
        "byline_spans": [
            {key: s[key] for key in ("start", "end", "label", "id", "annotator", "attributes")}
            for s in line["spans"]
        ],
    }
    path.write_text(json.dumps(doccano, ensure_ascii=False) + "\n")
    out = io.StringIO()
    call_command(
        "import_documents",
        str(path),
        corpus=corpus.name,
        format="doccano",
        update=True,
        as_user="chief",
        stdout=out,
    )
    added = Annotation.objects.get(document__external_id="japanese", text="東京")
    assert added.annotator == chief
    # The speaker link was not in the file: the doccano project's relation was deleted.
    assert not Relation.objects.filter(document__external_id="japanese").exists()
    assert "updated 1 documents: 1 spans added, 0 removed, 0 relabelled" in out.getvalue()


@pytest.mark.django_db
def test_acting_for_a_user_only_the_spans_an_update_adds_must_be_members(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    chief = get_user_model().objects.create(username="chief")
    Membership.objects.create(corpus=corpus, user=chief, role=Membership.Role.MANAGER)
    lines = byline_lines(corpus)
    # ana and ben are no members: their stored spans may come back unchanged ...
    report = import_paths(
        [write_lines(tmp_path, lines)],
        corpus=corpus,
        attributable_to={"chief"},
        acting_user="chief",
    )
    assert (report.failures, report.unchanged) == ([], 3)
    # ... but a span the update would add for ben is refused.
    report = import_paths(
        [write_lines(tmp_path, edit(lines))],
        corpus=corpus,
        attributable_to={"chief"},
        acting_user="chief",
        update=True,
    )
    [failure] = report.failures
    assert "not members of corpus 'Synthetic': ben" in str(failure.problem)
