from pathlib import Path

import pytest

from corpus.text_quality import QualityFlag, describe_encoding_damage, detect_mojibake

GBK_RUN = "´ºÉ«Ö±²¥"


def seed_directory() -> Path:
    """Return the seed articles: the project's fixtures, else the shared copy beside the repo."""
    here = Path(__file__).resolve()
    fixtures = here.parents[2] / "corpus/fixtures/seed"
    return fixtures if fixtures.is_dir() else here.parents[3] / "shared/seeds"


def read_seed(prefix: str) -> str:
    # Bytes, not read_text(): universal newlines would shift offsets on a CRLF file.
    (path,) = seed_directory().glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8")


def covered(text: str, flags: list[QualityFlag]) -> list[tuple[str, str]]:
    return [(flag.kind, text[flag.start : flag.end]) for flag in flags]


def test_clean_seed_has_no_flags():
    assert detect_mojibake(read_seed("000")) == []


def test_damaged_seed_has_four_gbk_runs_and_two_stray_nbsps():
    text = read_seed("001")
    gbk_starts = [index for index in range(len(text)) if text.startswith(GBK_RUN, index)]
    stray_starts = [index for index, character in enumerate(text) if character == "Â"]

    flags = detect_mojibake(text)

    assert len(gbk_starts) == 4
    assert len(stray_starts) == 2
    assert [(flag.start, flag.end, flag.kind) for flag in flags] == sorted(
        [(start, start + len(GBK_RUN), "gbk_as_latin1") for start in gbk_starts]
        + [(start, start + 1, "stray_nbsp_artifact") for start in stray_starts]
    )
    for flag in flags:
        if flag.kind == "gbk_as_latin1":
            assert text[flag.start : flag.end] == GBK_RUN
            assert flag.suggestion == "春色直播"
        else:
            assert text[flag.start : flag.end] == "Â"
            assert flag.suggestion == ""


def test_damaged_seed_keeps_legitimate_non_ascii_unflagged():
    text = read_seed("001")
    flagged = {text[flag.start : flag.end] for flag in detect_mojibake(text)}

    assert flagged == {GBK_RUN, "Â"}
    for legitimate in ("Mélanie", "—", "…"):
        assert legitimate in text


def test_gbk_run_glued_to_the_next_word_is_flagged_without_the_word():
    text = f"Joly told {GBK_RUN}that partnering matters."

    (flag,) = detect_mojibake(text)

    assert (flag.start, flag.end) == (10, 18)
    assert text[flag.start : flag.end] == GBK_RUN


def test_gbk_note_gives_the_reading_and_says_the_original_word_is_unknown():
    (flag,) = detect_mojibake(f"The {GBK_RUN} Press")

    assert "春色直播" in flag.note
    assert "B4 BA C9 AB D6 B1 B2 A5" in flag.note
    assert "unknown" in flag.note


def test_gbk_run_followed_by_a_curly_apostrophe_is_flagged_alone():
    text = f"The {GBK_RUN}’s reporters"

    assert covered(text, detect_mojibake(text)) == [("gbk_as_latin1", GBK_RUN)]


@pytest.mark.parametrize(
    ("text", "damaged", "suggestion"),
    [
        ("a cafÃ© in town", "Ã©", "é"),
        ("itâ€™s over", "â€™", "’"),
        ("she said â€œyes", "â€œ", "“"),
        ("costs Â£5", "Â£", "£"),
        ("Ã¼ber alles", "Ã¼", "ü"),
        ("twice: ÃƒÂ© here", "ÃƒÂ©", "é"),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ world", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),
        ("non-breakingÂ\xa0space", "Â\xa0", "\xa0"),
    ],
)
def test_utf8_read_as_latin1_is_flagged_with_ftfys_reading(text, damaged, suggestion):
    (flag,) = detect_mojibake(text)

    assert flag.kind == "utf8_as_latin1"
    assert text[flag.start : flag.end] == damaged
    assert flag.suggestion == suggestion


def test_each_damaged_run_gets_its_own_flag():
    text = "Ã©tÃ© et naÃ¯vetÃ©"

    flags = detect_mojibake(text)

    assert covered(text, flags) == [("utf8_as_latin1", "Ã©")] * 2 + [
        ("utf8_as_latin1", "Ã¯"),
        ("utf8_as_latin1", "Ã©"),
    ]
    assert [flag.suggestion for flag in flags] == ["é", "é", "ï", "é"]


def test_utf8_read_in_another_codec_is_flagged_as_misdecoded():
    text = "It‚Äôs MacRoman"

    (flag,) = detect_mojibake(text)

    assert (flag.kind, text[flag.start : flag.end], flag.suggestion) == ("misdecoded", "‚Äô", "’")
    assert "macroman" in flag.note


def test_offsets_count_code_points_not_utf16_units():
    text = "😀😀 cafÃ©"

    (flag,) = detect_mojibake(text)

    assert (flag.start, flag.end) == (6, 8)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ('she said, "I think so."Â\nNext paragraph', ""),
        ("first published March 19, 2025.Â", ""),
        ("a broken Â space", ""),
        ("end of 2025.Âthat glued", "\xa0"),
    ],
)
def test_lone_capital_a_circumflex_left_by_a_broken_nbsp_is_flagged(text, suggestion):
    (flag,) = detect_mojibake(text)

    assert flag.kind == "stray_nbsp_artifact"
    assert text[flag.start : flag.end] == "Â"
    assert flag.suggestion == suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Mélanie Joly met the café owner in Montréal.",
        "Österreich, Größe, Füße, über, süß",
        "niño, año, ¿Qué?, ¡Olé!",
        "façade, garçon, Ça va, cœur, Œuvre",
        "© 2025 The New York Times Company",
        "It was 30°C; add ½ cup; it costs £5 or €5.",
        "“Yes,” she said — “no…” — and that’s it’”",
        "SÃO PAULO, São Tomé, Århus, Øresund, Þórður, fæðing",
        "L’ÂGE D’OR, Âme, Âne, « Âge »",
        "Íñigo Álvaro Éamon Ó Súilleabháin",
        "",
        "plain ASCII text only",
    ],
)
def test_legitimate_non_ascii_is_not_flagged(text):
    assert detect_mojibake(text) == []


def test_flags_are_sorted_by_start():
    text = f"Â. then {GBK_RUN} then cafÃ© then 2025.Â"

    flags = detect_mojibake(text)

    assert [flag.kind for flag in flags] == [
        "stray_nbsp_artifact",
        "gbk_as_latin1",
        "utf8_as_latin1",
        "stray_nbsp_artifact",
    ]
    assert [flag.start for flag in flags] == sorted(flag.start for flag in flags)


def test_flag_as_dict_has_the_stored_keys():
    (flag,) = detect_mojibake("a cafÃ©")

    assert flag.as_dict() == {
        "start": 5,
        "end": 7,
        "kind": "utf8_as_latin1",
        "note": flag.note,
        "suggestion": "é",
    }


def test_describe_encoding_damage_counts_each_kind():
    text = read_seed("001")

    summary = describe_encoding_damage(detect_mojibake(text))

    assert summary.startswith("6 encoding problem(s): ")
    assert "4 × GBK Chinese shown as Latin-1" in summary
    assert "2 × stray 'Â'" in summary
    assert describe_encoding_damage([]) == "no encoding damage found"
