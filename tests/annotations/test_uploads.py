import io
import re
import tracemalloc
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations import uploads
from annotations.background import uploads_root
from annotations.formats.shared import MAX_ZIP_ENTRY_BYTES
from annotations.uploads import (
    UploadRefused,
    detect_format,
    last_part,
    name_suffix,
    safe_name,
    stage_upload,
)
from tests.annotations.zips import bomb, large_jsonl, lying_bomb, zipped
from tests.factories import SEED_PATHS

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "harbour-strike.html"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def staging_folders() -> list[Path]:
    root = uploads_root()
    return [p for p in root.iterdir() if p.name != "incoming"] if root.exists() else []


def test_files_are_staged_byte_exact_under_their_names():
    staged = stage_upload([upload(path.name, path.read_bytes()) for path in SEED_PATHS])
    assert staged.folder.parent == uploads_root()
    assert staged.names == [path.name for path in SEED_PATHS]
    for path in SEED_PATHS:
        assert (staged.folder / path.name).read_bytes() == path.read_bytes()
    assert staged.size == sum(path.stat().st_size for path in SEED_PATHS)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/cron.d/evil.txt", "evil.txt"),
        ("..\\..\\windows\\evil.txt", "evil.txt"),
        ("folder/sub/article.txt", "article.txt"),
        ("C:\\Users\\me\\article.txt", "article.txt"),
        ("tab\there.txt", "tabhere.txt"),
    ],
)
def test_a_browser_given_path_is_reduced_to_its_last_part(sent, kept):
    assert safe_name(sent) == kept


@pytest.mark.parametrize("sent", ["", ".", "..", "../..", ".htaccess", "folder/.env"])
def test_empty_parent_and_hidden_names_are_refused(sent):
    with pytest.raises(UploadRefused, match="refusing the file name"):
        safe_name(sent)


def test_a_name_given_twice_keeps_its_name_in_a_numbered_folder():
    staged = stage_upload([upload("a.txt", b"First story."), upload("a.txt", b"Second story.")])
    assert staged.names == ["a.txt", "2/a.txt"]
    assert (staged.folder / "2" / "a.txt").read_bytes() == b"Second story."


def test_a_zip_is_unpacked_into_a_folder_named_after_it():
    content = zipped({f"seed/{path.name}": path.read_bytes() for path in SEED_PATHS})
    staged = stage_upload([upload("seed.zip", content)])
    assert staged.names == [f"seed/seed/{path.name}" for path in SEED_PATHS]
    for path in SEED_PATHS:
        assert (staged.folder / "seed" / "seed" / path.name).read_bytes() == path.read_bytes()
    assert not (staged.folder / "seed.zip").exists()


def test_hidden_entries_and_macos_resource_forks_are_left_out_of_a_zip():
    content = zipped({"a.txt": b"A story.", "__MACOSX/._a.txt": b"\x00\x05", ".DS_Store": b"\x00"})
    assert stage_upload([upload("batch.zip", content)]).names == ["batch/a.txt"]


@pytest.mark.parametrize("entry", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "C:x.txt"])
def test_a_zip_slip_entry_is_refused_and_nothing_is_left(entry):
    content = zipped({"fine.txt": b"A story.", entry: b"owned"})
    with pytest.raises(UploadRefused, match="zip slip"):
        stage_upload([upload("evil.zip", content)])
    assert staging_folders() == []


def test_a_zip_bomb_is_refused_naming_the_entry_and_its_ratio():
    content = bomb("bomb.txt", MAX_ZIP_ENTRY_BYTES + 1)
    with pytest.raises(UploadRefused) as refused:
        stage_upload([upload("bomb.zip", content)])
    assert re.fullmatch(
        r"bomb\.zip: zip entry 'bomb\.txt' looks like a zip bomb: its [\d,]+ compressed bytes "
        r"inflate to 40,000,001 \([\d,]+ times; at most 100 times is allowed\)",
        str(refused.value),
    )
    assert staging_folders() == []


def test_a_zip_bomb_is_refused_before_its_import_job_is_queued():
    with pytest.raises(UploadRefused, match="'bomb.txt' looks like a zip bomb"):
        stage_upload([upload("bomb.zip", bomb())], unpack=False)
    assert staging_folders() == []


def test_a_bomb_lying_about_its_size_is_refused_when_unpacked():
    # Its central directory passes the request's check; unpacking stops at the declared size.
    staged = stage_upload([upload("bomb.zip", lying_bomb(declared=1000))], unpack=False)
    with pytest.raises(UploadRefused, match=r"bomb\.zip is not a readable .zip \(Bad CRC-32"):
        uploads.unpack_staged_zips(staged.folder)


def test_a_zip_entry_past_the_entry_limit_is_refused(settings):
    settings.BYLINE_ZIP_ENTRY_MAX_BYTES = 2 * 10**6
    content = zipped({"large.jsonl": large_jsonl(2 * 10**6 + 1, document_chars=100_000)})
    with pytest.raises(UploadRefused) as refused:
        stage_upload([upload("large.zip", content)])
    assert str(refused.value) == (
        "large.zip: zip entry 'large.jsonl' decompresses to more than the 2 MB allowed for one file"
    )
    assert staging_folders() == []


def test_a_50_mb_entry_unpacks_streaming_to_disk():
    data = large_jsonl(50 * 10**6)
    content = zipped({"export.jsonl": data})
    assert len(data) < 3 * len(content)  # deflated about twice: no bomb
    sent = upload("export.zip", content)
    del data
    tracemalloc.start()
    try:
        staged = stage_upload([sent])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert staged.names == ["export/export.jsonl"]
    assert (staged.folder / "export" / "export.jsonl").stat().st_size >= 50 * 10**6
    # One chunk at a time, not the entry: memory stays far below the 50 MB written.
    assert peak < 8 * 2**20, peak


def test_a_zip_unpacking_past_four_times_the_upload_limit_is_refused(settings):
    settings.BYLINE_UPLOAD_MAX_BYTES = 10_000
    content = zipped({f"{n}.txt": b"x" * 10_001 for n in range(4)})
    with pytest.raises(UploadRefused, match="unpacks to"):
        stage_upload([upload("many.zip", content)])
    assert staging_folders() == []


def test_a_zip_with_overlapping_entries_is_refused():
    # Two central-directory records pointing at the same local entry: a quoting bomb's trick.
    content = bytearray(zipped({"a.txt": b"A story."}, compression=zipfile.ZIP_STORED))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = archive.infolist()[0]
    clone = zipfile.ZipInfo("b.txt", date_time=info.date_time)
    clone.header_offset = info.header_offset
    clone.compress_size, clone.file_size, clone.CRC = info.compress_size, info.file_size, info.CRC
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as rewritten:
        rewritten.writestr(info, b"A story.")
        rewritten.filelist.append(clone)
    with pytest.raises(UploadRefused, match="overlap"):
        stage_upload([upload("overlap.zip", out.getvalue())])


def test_a_broken_zip_is_refused_by_name():
    with pytest.raises(UploadRefused, match=r"broken.zip is not a readable \.zip"):
        stage_upload([upload("broken.zip", b"PK\x03\x04 not really")])
    assert staging_folders() == []


def test_an_empty_zip_stages_nothing_and_is_refused():
    with pytest.raises(UploadRefused, match="no files were uploaded"):
        stage_upload([upload("empty.zip", zipped({}))])


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a.txt", "b.txt"], None),
        (["a.jsonl"], None),
        (["a.html", "b.txt", "c.jsonl"], None),
        (["a.txt", "a.ann", "b.txt", "b.ann"], "brat"),
        (["tasks.json"], "label-studio"),
        (["train.spacy"], "spacy"),
        (["x.conll", "y.conll"], "conll"),
        (["tasks.json", "train.spacy"], None),
    ],
)
def test_the_format_is_detected_from_the_file_names(names, expected):
    assert detect_format(names) == expected


def test_the_format_picker_lists_the_registry_with_byline_by_suffix_first():
    choices = uploads.format_choices()
    assert choices[0][0] == ""
    assert choices[0][1].startswith("byline (default)")
    assert [name for name, _ in choices[1:]][:2] == ["byline", "doccano"]
    assert "html" in dict(choices)


@pytest.mark.parametrize(
    "name",
    [
        "a.txt",
        "dir/sub/a.TXT",
        "a/./b.jsonl",
        "a/b/",
        "x.tar.gz",
        "a.",
        ".env",
        "noext",
        "",
        "a/..",
    ],
)
def test_the_string_name_helpers_agree_with_pathlib(name):
    assert last_part(name) == PurePosixPath(name).name
    assert name_suffix(name) == PurePosixPath(name).suffix
