from assist.candidates import ACTOR, QUOTE, SpanRef
from assist.reading import known_label, passed_over, read_until
from assist.registry import SuggestContext, suggest_text
from assist.text import analyse

TEXT = (
    "Mark Carney met Harlow Vance in Ottawa. Vance said nothing. "
    "Later, Brantwick Mining said it would cut jobs."
)


def span_of(text: str, words: str, label: str = ACTOR) -> SpanRef:
    start = text.index(words)
    return SpanRef(start, start + len(words), label)


def guessed(text: str, context: SuggestContext) -> list[str]:
    return [text[c.start : c.end] for c in suggest_text(text, context) if c.label == ACTOR]


def test_a_layer_has_read_to_the_end_of_the_sentence_of_its_last_span():
    analysis = analyse(TEXT)
    assert read_until(analysis, [span_of(TEXT, "Mark Carney")], ACTOR) == TEXT.index(" Vance said")


def test_a_layer_with_no_span_of_the_label_shows_nothing_read():
    analysis = analyse(TEXT)
    assert read_until(analysis, [], ACTOR) == 0
    # Quotes tagged say nothing of how the analyst judged the actors.
    assert read_until(analysis, [span_of(TEXT, "Vance said nothing.", QUOTE)], ACTOR) == 0


def test_a_guess_in_the_read_part_of_a_string_the_layer_tags_nowhere_is_passed_over():
    analysis = analyse(TEXT)
    read, unread = span_of(TEXT, "Harlow Vance"), span_of(TEXT, "Brantwick Mining")
    guesses = [(read.start, read.end), (unread.start, unread.end)]
    layer = [span_of(TEXT, "Mark Carney")]
    passed = passed_over(analysis, guesses, layer_spans=layer, known={}, label=ACTOR)
    assert passed == {(read.start, read.end)}


def test_a_guess_past_the_read_part_of_a_name_passed_over_in_it_is_passed_over_too():
    text = (
        "Prime Minister Aiko Tanabe met Harlow Vance in Osaka. "
        "Tanabe said the talks went well. Osaka welcomed Brantwick Mining."
    )
    analysis = analyse(text)
    later = text.rindex("Osaka")
    brantwick = span_of(text, "Brantwick Mining")
    guesses = [(later, later + len("Osaka")), (brantwick.start, brantwick.end)]
    layer = [span_of(text, "Prime Minister Aiko Tanabe")]
    # "Osaka" stands untagged in the read part, "Brantwick Mining" does not.
    passed = passed_over(analysis, guesses, layer_spans=layer, known={}, label=ACTOR)
    assert passed == {(later, later + len("Osaka"))}
    # A name only inside a longer word of the read part was not passed over.
    inside = text.replace("in Osaka.", "in Osakashi.")
    at = inside.rindex("Osaka")
    assert not passed_over(
        analyse(inside), [(at, at + 5)], layer_spans=layer, known={}, label=ACTOR
    )


def test_a_guess_of_a_string_the_layer_tags_elsewhere_is_not_passed_over():
    analysis = analyse(TEXT)
    guess = span_of(TEXT, "Harlow Vance")
    layer = [span_of(TEXT, "Mark Carney")]
    known = {"Harlow Vance": ACTOR}
    assert not passed_over(
        analysis, [(guess.start, guess.end)], layer_spans=layer, known=known, label=ACTOR
    )


def test_cold_start_guesses_yield_where_the_analyst_read_and_left_them():
    cold = guessed(TEXT, SuggestContext())
    assert {"Harlow Vance", "Vance", "Brantwick Mining"} <= set(cold)
    layer = (span_of(TEXT, "Mark Carney"), span_of(TEXT, "Vance"))
    context = SuggestContext(known={"Mark Carney": ACTOR, "Vance": ACTOR}, layer_spans=layer)
    after = guessed(TEXT, context)
    # "Harlow Vance" was read and left; "Brantwick Mining" is past the last tagged sentence.
    assert "Harlow Vance" not in after
    assert "Brantwick Mining" in after
    assert "Vance" in after


def test_a_speakers_new_actor_yields_with_its_quotes_link():
    text = "Ottawa agreed. “We will not sign,” Harlow Vance said. Ottawa signed."
    ottawa = text.rindex("Ottawa")
    layer = (span_of(text, "Ottawa"), SpanRef(ottawa, ottawa + len("Ottawa"), ACTOR))
    context = SuggestContext(known={"Ottawa": ACTOR}, layer_spans=layer)
    # The actors guess yields first; the speakers suggester would then make the subject of
    # "said" a new ACTOR, which the analyst passed over just the same.
    after = suggest_text(text, context)
    assert [text[c.start : c.end] for c in after if c.label == ACTOR] == ["Ottawa", "Ottawa"]
    (quote,) = [c for c in after if c.label == QUOTE]
    assert quote.speaker is None
    # With nothing read, the speaker is found as before.
    (cold,) = [c for c in suggest_text(text, SuggestContext()) if c.label == QUOTE]
    assert text[cold.speaker.start : cold.speaker.end] == "Harlow Vance"


def test_a_string_counts_as_tagged_in_the_forms_a_sentence_start_gives_it():
    known = {"The Kremlin": ACTOR, "the officials": "ANON_SOURCE"}
    assert known_label("the Kremlin", known) == ACTOR
    assert known_label("The officials", known) == "ANON_SOURCE"
    assert known_label("Kremlin", known) is None
