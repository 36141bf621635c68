import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from annotations.formats.brat import file_stem, write_brat, write_brat_folder
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from annotations.interchange.records import ImportProblem
from tests.annotations.formats.corpora import (
    EMOJI,
    byline_lines,
    complete,
    make_synthetic_corpus,
    synthetic_lines,
)


def brat_folder(tmp_path, files):
    folder = tmp_path / "brat"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def test_an_ann_file_has_t_r_a_and_note_lines():
    emoji, *_ = synthetic_lines()
    out = io.BytesIO()
    write_brat([complete(emoji)], out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    assert archive.namelist() == [
        "emoji%20and%20combining.txt",
        "emoji%20and%20combining.ann",
        "annotation.conf",
    ]
    assert archive.read("emoji%20and%20combining.txt").decode() == EMOJI
    ann = archive.read("emoji%20and%20combining.ann").decode()
    assert ann == (
        "T1\tACTOR 0 4\tFans\n"
        "T2\tFIGURE 5 8\t😀👍🏽\n"
        "T3\tACTOR 35 39\tMark\n"
        "T4\tACTOR 35 46\tMark Carney\n"
        "T5\tACTOR 35 46\tMark Carney\n"
        # Across a line break: fragments, as brat writes such a span.
        "T6\tQUOTE 55 68;69 84\tWe are ready. We always were.\n"
        "T7\tANON_SOURCE 87 100\tTwo officials\n"
        "T8\tACTOR 113 127\t👨\u200d👩\u200d👧 families\n"
        "T9\tANON_SOURCE 119 131\tfamilies got\n"
        "T10\tFIGURE 132 145\t1.5 million 💶\n"
        "T11\tQUOTE 149 155\tÇa va,\n"
        "T12\tACTOR 161 165\tZoe\u0308\n"
        "R1\tspeaker Arg1:T6 Arg2:T4\n"
        "R2\tspeaker Arg1:T11 Arg2:T12\n"
        "A1\tapproximate T10\n"
        "#1\tAnnotatorNotes T1\tcrowd, not an actor?\n"
        "#2\tAnnotatorNotes T2\tvalue=2.0\n"
        '#3\tAnnotatorNotes T3\tbyline:annotator="ben"\n'
        '#4\tAnnotatorNotes T4\tbyline:annotator="ana"\n'
        '#5\tAnnotatorNotes T5\tbyline:annotator="ana"\n'
        "#6\tAnnotatorNotes T5\tbyline:gold=true\n"
        '#7\tAnnotatorNotes T6\tbyline:annotator="ana"\n'
        "#8\tAnnotatorNotes T7\tcount=2\n"
        "#9\tAnnotatorNotes T7\taffiliation=null\n"
        '#10\tAnnotatorNotes T7\treason_given=""\n'
        '#11\tAnnotatorNotes T9\tbyline:annotator="ben"\n'
        "#12\tAnnotatorNotes T10\tvalue=1500000.0\n"
        '#13\tAnnotatorNotes T10\tunit="EUR"\n'
        '#14\tAnnotatorNotes T11\tbyline:annotator="ana"\n'
        '#15\tAnnotatorNotes T12\tbyline:annotator="ana"\n'
    )
    assert EMOJI[55:68] + EMOJI[68] + EMOJI[69:84] == "We are ready.\nWe always were."
    conf = archive.read("annotation.conf").decode()
    assert "speaker\tArg1:QUOTE, Arg2:ACTOR\n" in conf
    assert "approximate\tArg:FIGURE\n" in conf


def test_file_names_are_the_percent_encoded_ids_and_read_back(tmp_path):
    chinese = synthetic_lines()[1]
    assert file_stem(chinese["id"]) == "%E4%B8%AD%E6%96%87%2F%E5%8C%97%E4%BA%AC"
    assert file_stem("..") == "%2E."
    folder = tmp_path / "out"
    folder.mkdir()
    write_brat_folder([complete(chinese)], folder)
    [record] = read_records(folder, format_name="brat")
    assert record.external_id == "中文/北京"
    assert [(s.uid, s.label, s.attributes) for s in record.spans][2] == (
        "T3",
        "ANON_SOURCE",
        {"count": 2},
    )


def test_notes_become_attributes_or_comments(tmp_path):
    folder = brat_folder(
        tmp_path,
        {
            "d.txt": "Two officials said 5 things.",
            "d.ann": "T1\tANON_SOURCE 0 13\tTwo officials\n"
            "A1\tNegated T1\n"
            "A2\tConfidence T1 High\n"
            "#1\tAnnotatorNotes T1\tcount=2\n"
            "#2\tAnnotatorNotes T1\tcheck this\n"
            '#3\tAnnotatorNotes T1\t{"reason given": "none"}\n'
            "#4\tAnnotatorNotes T1\tand this = too\n",
        },
    )
    [record] = read_records(folder, format_name="brat")
    assert record.spans[0].attributes == {
        "Negated": True,
        "Confidence": "High",
        "count": 2,
        "reason given": "none",
        "comment": "check this\nand this = too",
    }


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tACTOR 0 5\tTwp o", "d.ann:1: T1 [0, 5) covers 'Two o' in the .txt, not 'Twp o'"),
        ("T1\tACTOR 0 3;8 13\tTwo cials", "d.ann:1: T1 is discontinuous (0 3;8 13)"),
        ("T1\tACTOR 0 3\tTwo\nE1\tSay:T1", "d.ann:2: 'E1': only T, R, A and # lines"),
        (
            "T1\tACTOR 0 3\tTwo\nR1\tspeaker Arg1:T1 Arg2:T9",
            "d.ann:2: no text-bound annotation 'T9'",
        ),
        ("T1 ACTOR 0 3 Two", "d.ann:1: expected 'T<n><TAB>LABEL START END<TAB>TEXT'"),
    ],
)
def test_a_broken_ann_file_is_reported_with_its_file_and_line(tmp_path, ann, message):
    folder = brat_folder(tmp_path, {"d.txt": "Two officials said.", "d.ann": ann + "\n"})
    with pytest.raises(ImportProblem) as problem:
        read_records(folder, format_name="brat")
    assert str(problem.value).startswith(f"{folder}/{message}")


def test_an_ann_file_without_its_text_is_refused(tmp_path):
    folder = brat_folder(tmp_path, {"d.ann": "T1\tACTOR 0 3\tTwo\n"})
    with pytest.raises(ImportProblem, match=r"d\.ann: has no \.txt beside it"):
        read_records(folder, format_name="brat")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil.txt", "docs/../../evil.txt", "C:/x.txt"]
)
def test_zip_entries_that_could_escape_the_folder_are_refused(tmp_path, name):
    path = tmp_path / "corpus.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("fine.txt", "Fine.")
        archive.writestr(name, "Evil.")
    with pytest.raises(ImportProblem, match=r"refusing zip entry .*\(zip slip\)"):
        read_records(path, format_name="brat")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.zip"]


@pytest.mark.django_db
@pytest.mark.parametrize("output", ["brat-folder", "brat.zip"])
def test_the_commands_export_and_import_a_folder_or_a_zip(tmp_path, output):
    corpus = make_synthetic_corpus(tmp_path)
    target = tmp_path / output
    err = io.StringIO()
    call_command(
        "export_annotations", corpus=corpus.name, format="brat", output=str(target), stderr=err
    )
    assert f"wrote 3 documents to {target}" in err.getvalue()
    assert target.is_dir() == (output == "brat-folder")
    out = io.StringIO()
    call_command("import_documents", str(target), corpus="Back", format="brat", stdout=out)
    assert "Back: created 3 documents (18 spans, 4 relations)" in out.getvalue()
    back = {line["id"]: line for line in byline_lines(get_or_create_corpus("Back"))}
    assert back["japanese"]["spans"][0]["text"] == "首相"


@pytest.mark.django_db
def test_brat_is_not_written_to_stdout_nor_over_a_full_folder(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    with pytest.raises(CommandError, match="the brat format is binary; give --output"):
        call_command("export_annotations", corpus=corpus.name, format="brat")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="exists and is not an empty folder"):
        call_command(
            "export_annotations", corpus=corpus.name, format="brat", output=str(tmp_path / "full")
        )
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


@pytest.mark.django_db
def test_a_brat_folder_is_imported_whole_or_not_at_all(tmp_path):
    folder = brat_folder(
        tmp_path,
        {"a.txt": "Fine.", "b.txt": "Two officials.", "b.ann": "T1\tPLACE 0 3\tTwo\n"},
    )
    corpus = get_or_create_corpus("brat")
    report = import_paths([folder], corpus=corpus, format_name="brat")
    [failure] = report.failures
    assert "spans[0].label: unknown label 'PLACE'" in str(failure.problem)
    assert corpus.documents.count() == 0
