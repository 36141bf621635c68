from datetime import date
from pathlib import Path

import pytest

from corpus.news_metadata import MAX_TITLE_LENGTH, extract_news_metadata


def seed_directory() -> Path:
    """Return the seed articles: the project's fixtures, else the shared copy beside the repo."""
    here = Path(__file__).resolve()
    fixtures = here.parents[2] / "corpus/fixtures/seed"
    return fixtures if fixtures.is_dir() else here.parents[3] / "shared/seeds"


def read_seed(prefix: str) -> str:
    (path,) = seed_directory().glob(f"{prefix}_*.txt")
    return path.read_bytes().decode("utf-8")


def test_new_york_times_seed():
    news = extract_news_metadata(read_seed("000"))

    assert news.dateline == "OTTAWA, Ontario"
    assert news.source == "The New York Times"
    assert news.published is None
    assert news.copyright_year == 2025
    assert news.title.startswith("Canada is in advanced talks with the European Union")
    assert len(news.title) <= MAX_TITLE_LENGTH
    assert news.title.endswith("…")
    assert "originally appeared in The New York Times" in news.notes["source"]


def test_canadian_press_seed_infers_the_publisher_from_its_damaged_credit_line():
    news = extract_news_metadata(read_seed("001"))

    assert news.dateline == "OTTAWA"
    assert news.source == "The Canadian Press"
    assert news.published == date(2025, 3, 19)
    assert news.copyright_year is None
    assert news.title.startswith("Foreign Affairs Minister Mélanie Joly says Canada")
    assert len(news.title) <= MAX_TITLE_LENGTH
    assert "inferred from the credit-line template" in news.notes["source"]
    assert "´ºÉ«Ö±²¥" in news.notes["source"]


def test_canadian_press_credit_with_a_clean_name_keeps_the_name_as_written():
    text = (
        "HALIFAX - The ferry resumed service.\n"
        "This report by The Canadian Press was first published March 19, 2025."
    )

    news = extract_news_metadata(text)

    assert news.source == "The Canadian Press"
    assert news.published == date(2025, 3, 19)
    assert "inferred" not in news.notes["source"]


def test_canadian_press_template_with_another_clean_name_is_not_renamed():
    text = "Body.\nThis report by Presse Canadienne was first published on 4 April 2025."

    news = extract_news_metadata(text)

    assert (news.source, news.published) == ("Presse Canadienne", date(2025, 4, 4))


@pytest.mark.parametrize(
    ("text", "dateline", "source"),
    [
        ("OTTAWA, Ontario >> Talks began.", "OTTAWA, Ontario", None),
        ("OTTAWA - Talks began.", "OTTAWA", None),
        ("OTTAWA — Talks began.", "OTTAWA", None),
        ("WASHINGTON (Reuters) - The Fed held rates.", "WASHINGTON", "Reuters"),
        ("NEW YORK (AP) — Stocks fell.", "NEW YORK", "The Associated Press"),
        ("ST. JOHN'S, N.L. (CP) -- Fishing resumed.", "ST. JOHN'S, N.L.", "The Canadian Press"),
        ("SÃO PAULO - Brazil said no.", "SÃO PAULO", None),
    ],
)
def test_dateline_at_the_start_gives_the_place_and_any_agency(text, dateline, source):
    news = extract_news_metadata(text)

    assert (news.dateline, news.source) == (dateline, source)


@pytest.mark.parametrize(
    "text",
    [
        "Canada is in advanced talks with Europe.",
        "Canada is in talks - officials say.",
        "The minister spoke in OTTAWA - briefly.",
    ],
)
def test_ordinary_sentence_start_is_not_a_dateline(text):
    assert extract_news_metadata(text).dateline is None


def test_dateline_date_without_a_year_is_not_the_publication_date():
    news = extract_news_metadata("WASHINGTON, March 3 (Reuters) - The Fed held rates.")

    assert news.dateline == "WASHINGTON"
    assert news.published is None
    assert "not taken as the publication date" in news.notes["dateline"]


def test_title_is_the_first_sentence_after_the_dateline_without_its_full_stop():
    news = extract_news_metadata("OTTAWA - Talks   began\n today. More followed.")

    assert news.title == "Talks began"


def test_title_does_not_end_at_an_abbreviation():
    news = extract_news_metadata("Talks with the U.S. went well, Mr. Smith said. Then more.")

    assert news.title == "Talks with the U.S. went well, Mr. Smith said"


def test_long_first_sentence_is_cut_at_a_word_boundary_with_an_ellipsis():
    sentence = " ".join(["word"] * 40) + "."

    news = extract_news_metadata(sentence)

    assert len(news.title) <= MAX_TITLE_LENGTH
    assert news.title.endswith("word…")
    assert "cut at a word boundary" in news.notes["title"]


def test_article_without_dateline_or_credit_line_has_no_metadata_values():
    news = extract_news_metadata("Canada is in talks. On March 4, 2025, it said so.")

    assert news.title == "Canada is in talks"
    assert (news.dateline, news.source, news.published, news.copyright_year) == (None,) * 4
    assert news.notes == {}


def test_dates_in_the_story_are_not_publication_dates():
    text = (
        "OTTAWA - Europe announced its plan on March 4. The report was first published "
        "on March 5, 2025, the ministry said.\nThis article originally appeared in The Times."
    )

    news = extract_news_metadata(text)

    assert news.published is None
    assert news.source == "The Times"


@pytest.mark.parametrize(
    ("credit", "source", "published"),
    [
        ("This article was first published on 19 March 2025.", None, date(2025, 3, 19)),
        ("First published 2025-03-19.", None, date(2025, 3, 19)),
        ("Originally published by Le Monde on March 3, 2025.", "Le Monde", date(2025, 3, 3)),
        ("This article originally appeared in The Globe and Mail.", "The Globe and Mail", None),
        ("This story first appeared in The Hill on Tuesday.", "The Hill", None),
        ("This story was first published in March 2025.", None, None),
    ],
)
def test_credit_line_gives_publisher_and_date(credit, source, published):
    news = extract_news_metadata(f"Body of the story.\n\n{credit}")

    assert (news.source, news.published) == (source, published)


def test_credit_line_naming_an_impossible_date_leaves_published_empty_with_a_note():
    news = extract_news_metadata("Body.\nFirst published 2025-02-30.")

    assert news.published is None
    assert "does not exist" in news.notes["published"]


def test_copyright_notice_gives_the_year_and_the_holder_as_a_last_resort_source():
    news = extract_news_metadata("Body.\nCopyright 2024 The Associated Press. All rights reserved.")

    assert news.copyright_year == 2024
    assert news.source == "The Associated Press"
    assert "copyright holder" in news.notes["source"]


def test_credit_line_outranks_the_copyright_holder():
    text = "Body.\nThis article originally appeared in The Times.\n© 2023-2025 Times Media Ltd."

    news = extract_news_metadata(text)

    assert (news.source, news.copyright_year) == ("The Times", 2025)


def test_empty_text_gives_an_empty_title():
    assert extract_news_metadata("") == extract_news_metadata("   \n")
    assert extract_news_metadata("").title == ""
