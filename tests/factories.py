"""Plain helpers that make test rows with sensible defaults."""

from pathlib import Path

from django.contrib.auth import get_user_model

from annotations.labels import create_news_labels
from annotations.models import Annotation, Relation
from corpus.models import Corpus, Document, sha256_hex

SEED_DIR = Path(__file__).resolve().parents[1] / "corpus" / "fixtures" / "seed"
SEED_PATHS = sorted(SEED_DIR.glob("*.txt"))
EMOJI_TEXT = "Fans 😀👍🏽 of e\u0301 and 中文 𠀀 cheered as Mark Carney spoke: “We are ready.”"


def make_user(username: str = "analyst", **overrides):
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests-only", **overrides
    )


def make_corpus(name: str = "Test corpus", **overrides) -> Corpus:
    corpus = Corpus.objects.create(
        name=name, slug=overrides.pop("slug", name.lower().replace(" ", "-")), **overrides
    )
    create_news_labels(corpus)
    return corpus


def make_document(corpus: Corpus | None = None, text: str = EMOJI_TEXT, **overrides) -> Document:
    corpus = corpus or make_corpus()
    overrides.setdefault("external_id", f"doc-{Document.objects.count() + 1}")
    overrides.setdefault("title", text[:40])
    return Document.objects.create(
        corpus=corpus, text=text, text_sha256=sha256_hex(text), **overrides
    )


def make_annotation(
    document: Document, label: str, covered: str, *, occurrence: int = 0, **overrides
) -> Annotation:
    """Return a saved span over the `occurrence`-th appearance of `covered` in the text."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(covered, start + 1)
    return Annotation.objects.create(
        document=document,
        label=document.corpus.labels.get(key=label),
        start=start,
        end=start + len(covered),
        text=covered,
        **overrides,
    )


def make_speaker_relation(quote: Annotation, speaker: Annotation) -> Relation:
    return Relation.objects.create(
        document=quote.document, type="speaker", source=quote, target=speaker
    )
