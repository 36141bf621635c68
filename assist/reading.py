"""How far an analyst has read a document, as their layer's own spans in it show.

An analyst annotates a document from its start. When a run propagates from their layer
(`SuggestContext.layer_spans`), their last span of a label in the document says they have
read it at least to the end of the sentence that holds that span, and judged every mention of
the label up to there: a sentence is read whole before anything in it is tagged. A name they
left untagged in that part, and tag nowhere, is one they passed over: a cold-start guess of
it yields to their reading, as a guess overlapping a string they tag yields to propagation.
So does a guess of the same name further on: the analyst who left "Hiroshima" untagged in
"will visit Osaka and Hiroshima" has judged the name, and tagged the first mention of each
actor they met.

A layer with no span of the label in the document shows nothing read, so nothing yields
there: an analyst who has tagged only quotes has given no judgement about actors, and the
page's own layer usually has no spans at first opening. Past the read part the guesses stand:
the analyst has not reached them, unless they passed over the same name in the read part.
"""

import re
from collections.abc import Iterable, Mapping

from .candidates import SpanRef
from .text import Analysis


def read_until(analysis: Analysis, layer_spans: Iterable[SpanRef], label: str) -> int:
    """Return where the part of the text that the layer's `label` spans show read ends: the
    end of the sentence holding the last of them, or 0 when there is none."""
    last = max((span.end for span in layer_spans if span.label == label), default=0)
    if last == 0:
        return 0
    for start, end in analysis.sentences:
        if start < last <= end:
            return end
    return last


def known_label(string: str, known: Mapping[str, str]) -> str | None:
    """Return the label a layer gives `string`, as `known` (string -> label key) holds it.

    Case is the name's, except where a sentence's start sets it: a known lower-case string
    ("the officials") stands for its capitalised form, and a known string opening with "The"
    ("The Kremlin", tagged at a sentence's start) for its form with "the".
    """
    if string in known:
        return known[string]
    if string[:4] == "the " and (label := known.get("The " + string[4:])) is not None:
        return label
    return known.get(string[:1].lower() + string[1:])


def is_tagged(string: str, known: Mapping[str, str], layer_strings: Iterable[str]) -> bool:
    """Return whether the layer tags `string`: in the corpus (`known_label`) or in this
    document."""
    return known_label(string, known) is not None or string in layer_strings


def passed_over(
    analysis: Analysis,
    guesses: list[tuple[int, int]],
    *,
    layer_spans: Iterable[SpanRef],
    known: Mapping[str, str],
    label: str,
) -> set[tuple[int, int]]:
    """Return the (start, end) of the `guesses` of `label` that the layer's analyst passed
    over: of a string the layer tags nowhere, inside the part they have read (`read_until`)
    or further on when the same string stands in that part."""
    layer_spans = tuple(layer_spans)
    read_end = read_until(analysis, layer_spans, label)
    if read_end == 0:
        return set()
    text = analysis.text
    layer_strings = {text[span.start : span.end] for span in layer_spans}
    read_text = text[:read_end]
    return {
        (start, end)
        for start, end in guesses
        if not is_tagged(text[start:end], known, layer_strings)
        and (end <= read_end or stands_in(text[start:end], read_text))
    }


def stands_in(string: str, text: str) -> bool:
    """Return whether `string` stands in `text` as whole words."""
    return re.search(rf"(?<![\w-]){re.escape(string)}(?!\w)", text) is not None
