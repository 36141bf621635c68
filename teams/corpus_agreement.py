"""Agreement between every pair of analysts of a corpus, overall and per label."""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from annotations.models import Annotation
from corpus.models import Assignment, Corpus, Document

from .agreement import PairScore, Span, score_pair

ALL_LABELS = "ALL"


@dataclass(frozen=True)
class AgreementRow:
    label: str
    annotator_a: str
    annotator_b: str
    documents: int
    score: PairScore


def corpus_agreement(corpus: Corpus, *, labels: list[str] | None = None) -> list[AgreementRow]:
    """Return agreement rows for each pair of analysts over the documents both annotated.

    A document counts for a pair when both marked spans on it or both finished their
    assignment of it (so agreeing that a document has nothing to mark counts too).
    The gold layer is not an analyst and is left out.
    """
    layers: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Annotation.objects.filter(document__corpus=corpus, is_gold=False, annotator__isnull=False)
        .values_list("document_id", "annotator__username", "start", "end", "label__key")
        .order_by()
    )
    for document_id, username, start, end, label in rows:
        layers[document_id][username].append((start, end, label))
    done = Assignment.objects.filter(
        document__corpus=corpus, status=Document.Status.DONE
    ).values_list("document_id", "annotator__username")
    for document_id, username in done:
        layers[document_id].setdefault(username, [])
    texts = dict(corpus.documents.filter(pk__in=layers).values_list("pk", "text"))
    annotators = sorted({name for layer in layers.values() for name in layer})
    label_keys = labels or list(corpus.labels.values_list("key", flat=True))
    table = []
    for a, b in combinations(annotators, 2):
        shared = [
            (texts[document_id], layer[a], layer[b])
            for document_id, layer in sorted(layers.items())
            if a in layer and b in layer
        ]
        if not shared:
            continue
        for label in [None, *label_keys]:
            table.append(
                AgreementRow(
                    label=label or ALL_LABELS,
                    annotator_a=a,
                    annotator_b=b,
                    documents=len(shared),
                    score=score_pair(shared, label=label),
                )
            )
    return table
