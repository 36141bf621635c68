"""The anonymous_sources suggester: unnamed sources of information, whole noun phrases."""

from assist.candidates import ANON_SOURCE
from assist.registry import SuggestContext
from assist.suggesters.anonymous_sources import suggest_anonymous_sources
from assist.text import analyse


def sources(text: str) -> list[tuple[str, dict]]:
    """Return each ANON_SOURCE candidate's words and attributes, in order."""
    candidates = suggest_anonymous_sources(analyse(text), SuggestContext(), [])
    assert all(c.label == ANON_SOURCE and c.suggester == "anonymous_sources" for c in candidates)
    assert all(0 <= c.score <= 1 for c in candidates)
    return [(text[c.start : c.end], dict(c.attributes)) for c in candidates]


def test_the_whole_noun_phrase_with_a_distributive_and_knowledge_modifier():
    text = (
        "Three officials, one from Japan and one from the Philippines, with direct knowledge "
        "of the negotiations, said the pact would be signed in May. They spoke on condition of "
        "anonymity because they were not authorized to discuss the text."
    )
    assert sources(text) == [
        (
            "Three officials, one from Japan and one from the Philippines, with direct "
            "knowledge of the negotiations",
            {
                "count": 3,
                "affiliation": "Japan and Philippines",
                "reason_given": "not authorized to discuss the text",
            },
        )
    ]


def test_cue_heads_of_every_common_form():
    text = (
        "A senior diplomat said the embassy would close. "
        "People familiar with the matter said the bid was withdrawn. "
        "An aide to the governor told reporters the veto was certain. "
        "Two sources said the board met twice. "
        "A spokesperson for the port authority said cargo was delayed."
    )
    assert [words for words, _ in sources(text)] == [
        "A senior diplomat",
        "People familiar with the matter",
        "An aide to the governor",
        "Two sources",
        "A spokesperson for the port authority",
    ]


def test_count_from_number_words_numerals_and_articles():
    text = (
        "Two officials said the plan was dead. 14 diplomats said it was not. "
        "A senior aide said talks would go on. Officials said nothing more. "
        "One of the officials said a vote was likely."
    )
    counts = [attributes.get("count") for _, attributes in sources(text)]
    assert counts == [2, 14, 1, None, 1]


def test_affiliation_is_what_is_said_of_who_they_are():
    text = (
        "Senior Brazilian government officials said the tariff would stay. "
        "Two people close to the central bank said rates would rise. "
        "An official at the Finance Ministry said the budget was ready."
    )
    assert [attributes.get("affiliation") for _, attributes in sources(text)] == [
        "Brazilian government",
        "close to the central bank",
        "Finance Ministry",
    ]


def test_reason_given_for_anonymity_in_the_sentence_or_the_next():
    text = (
        "A senior official, who requested anonymity because the talks are confidential, said "
        "the offer stands. Two diplomats said the date would slip; they declined to be named "
        "because of the sensitivity of the issue. A ministry official said the fine was final, "
        "speaking on condition of anonymity to discuss internal deliberations."
    )
    assert [attributes.get("reason_given") for _, attributes in sources(text)] == [
        "the talks are confidential",
        "the sensitivity of the issue",
        "to discuss internal deliberations",
    ]


def test_declining_to_be_named_alone_is_no_reason():
    text = "A delegate who declined to be named said the draft was weak."
    assert sources(text) == [("A delegate", {"count": 1})]


def test_later_references_count_and_take_no_reason_from_the_first_mention():
    text = (
        "Two officials familiar with the talks said a deal was close. "
        "“There is nothing left to negotiate,” one of the officials said. "
        "The officials spoke on condition of anonymity because they were not authorized to "
        "speak publicly. One of them said a signing was planned."
    )
    found = sources(text)
    assert [words for words, _ in found] == [
        "Two officials familiar with the talks",
        "one of the officials",
        "The officials",
        "One of them",
    ]
    assert found[0][1]["reason_given"] == "not authorized to speak publicly"
    assert all("reason_given" not in attributes for _, attributes in found[1:])
    assert found[1][1]["count"] == 1
    assert found[3][1]["count"] == 1


def test_the_person_is_a_later_reference_to_a_person_familiar_with():
    text = "A person briefed on the talks said the deal was off. The person said it could return."
    assert [words for words, _ in sources(text)] == ["A person briefed on the talks", "The person"]


def test_named_acting_parties_are_not_sources():
    text = (
        "Russian officials negotiated the exchange over three weeks. "
        "Canadian diplomats flew to Geneva on Monday. "
        "The energy sources of the region are hydro and wind."
    )
    assert sources(text) == []


def test_unnamed_people_are_sources_only_as_sources_of_information():
    text = (
        "Officials negotiated for hours, and later the officials said a deal was reached. "
        "According to two diplomats, the talks will resume."
    )
    assert [words for words, _ in sources(text)] == ["the officials", "two diplomats"]


def test_a_spokesperson_with_a_name_is_an_actor_not_a_source():
    text = (
        "State Department spokesperson Tammy Bruce said the visa rule would change. "
        "A spokesperson, Lena Ortiz, said no comment."
    )
    assert sources(text) == []


def test_attributes_validate_against_the_label_schema():
    from django.core.exceptions import ValidationError  # noqa: F401

    from annotations.labels import NEWS_LABELS
    from annotations.validation import validate_attributes

    spec = next(d.attribute_spec for d in NEWS_LABELS if d.key == ANON_SOURCE)
    text = (
        "Two officials from the European Union, who requested anonymity because they were not "
        "authorized to brief the press, said the offer was final."
    )
    found = sources(text)
    assert found
    for _, attributes in found:
        validate_attributes(attributes, spec, label_key=ANON_SOURCE)


def test_a_phrase_an_anonymity_clause_keeps_unnamed_is_a_source_whatever_its_head():
    text = (
        "A Stellantis manager at the Toledo plant, who asked not to be named because he was not "
        "authorized to speak publicly, said production had stopped. “Nobody was surprised,” "
        "the manager said.\n"
        "Two workers at the mine, who asked not to be named because they feared for their "
        "jobs, said pay was late."
    )
    found = sources(text)
    assert [words for words, _ in found] == [
        "A Stellantis manager at the Toledo plant",
        "the manager",
        "Two workers at the mine",
    ]
    assert found[0][1]["count"] == 1
    assert found[0][1]["reason_given"] == "not authorized to speak publicly"
    assert found[2][1]["count"] == 2
    assert found[2][1]["reason_given"] == "they feared for their jobs"


def test_a_bare_plural_subject_of_saying_is_a_generic_source():
    text = (
        "Critics say the rules are too weak. Rights groups warned the law could be challenged. "
        "Analysts at Leerink Partners said the amount was small. Reports said the talks had "
        "failed. Rogers said the plan was fair, and Rogers will vote for it."
    )
    assert [words for words, _ in sources(text)] == [
        "Critics",
        "Rights groups",
        "Analysts at Leerink Partners",
    ]


def test_noun_modifiers_after_an_article_belong_to_the_phrase():
    text = "An energy ministry official said Kenya would pay less than it pays for diesel."
    assert [words for words, _ in sources(text)] == ["An energy ministry official"]


def test_a_clause_saying_the_source_may_not_speak_keeps_the_phrase_unnamed():
    text = (
        "A Harbourline executive, who was not authorized to speak publicly, said the sale was "
        "off. “We walked away,” said the executive, who declined to elaborate."
    )
    found = sources(text)
    assert [words for words, _ in found] == ["A Harbourline executive", "the executive"]
    assert found[0][1]["reason_given"] == "not authorized to speak publicly"
    assert found[0][1]["count"] == 1


def test_a_bare_plural_saying_inside_a_sentence_is_a_generic_source():
    text = (
        "About 2,000 people gathered on Tuesday, police said. The bill, which growers say "
        "protects beet, passed, and critics say it targets one company. Prices fell, traders "
        "said. The company said sales fell, and its shareholders said nothing, while reports "
        "say the talks failed."
    )
    found = sources(text)
    assert [words for words, _ in found] == ["police", "growers", "critics", "traders"]
    assert all(attributes.get("count") is None for _, attributes in found)


def test_the_person_and_the_people_refer_back_in_more_forms():
    text = (
        "A person familiar with the talks said the deal was off. The person spoke on condition "
        "of anonymity. Berlin will pay most of it, said the people, who asked not to be "
        "identified. The people of Denmark will vote."
    )
    assert [words for words, _ in sources(text)] == [
        "A person familiar with the talks",
        "The person",
        "the people",
    ]


def test_one_unnamed_person_from_somewhere_is_a_source_when_the_paragraph_says_why():
    text = (
        "An administrator at UW-Madison said hiring had been frozen. She was not authorized "
        "to discuss budget planning.\n"
        "A member of the ICC board said a ban was likely, speaking on condition of anonymity.\n"
        "A report by the agency said costs rose. It was not authorized to be released.\n"
        "A lawyer at the firm said the case was weak.\n"
        "Police said 80,000 people marched. One farmer near Chilliwack, who asked not to be "
        "named, said losses were high."
    )
    found = sources(text)
    assert [words for words, _ in found] == [
        "An administrator at UW-Madison",
        "A member of the ICC board",
        "Police",
        "One farmer near Chilliwack",
    ]
    assert found[0][1]["count"] == 1
    assert found[0][1]["affiliation"] == "UW-Madison"
