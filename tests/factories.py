"""Plain helpers that make test rows with sensible defaults."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from annotations.labels import create_news_labels
from annotations.models import Annotation, Relation
from corpus.models import Assignment, Corpus, Document, Membership, sha256_hex

SEED_DIR = Path(__file__).resolve().parents[1] / "corpus" / "fixtures" / "seed"
SEED_PATHS = sorted(SEED_DIR.glob("*.txt"))
# The default hasher costs most of a second per user; tests log in through it often.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMOJI_TEXT = "Fans 😀👍🏽 of e\u0301 and 中文 𠀀 cheered as Mark Carney spoke: “We are ready.”"


def make_user(username: str = "analyst", **overrides):
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests-only", **overrides
    )


@dataclass(frozen=True)
class Team:
    """A corpus's members by role, and users made outside it; `users` has them all by name."""

    corpus: Corpus
    manager: User | None
    reviewer: User | None
    annotators: list[User]
    outsiders: list[User]
    users: dict[str, User] = field(repr=False)


def make_team(
    corpus: Corpus | None = None,
    *,
    manager: str | None = "mia",
    reviewer: str | None = "rev",
    annotators: Sequence[str] = ("ana", "ben"),
    outsiders: Sequence[str] = ("out",),
    assigned: Iterable[Document] = (),
) -> Team:
    """Return a team of new users on `corpus` (a new "Desk" if None), users made in the order
    named; every annotator is assigned each document of `assigned`."""
    corpus = corpus or make_corpus("Desk")
    roles = [(manager, Membership.Role.MANAGER), (reviewer, Membership.Role.REVIEWER)]
    roles += [(name, Membership.Role.ANNOTATOR) for name in annotators]
    members = {name: make_user(name) for name, _ in roles if name is not None}
    for name, role in roles:
        if name is not None:
            Membership.objects.create(corpus=corpus, user=members[name], role=role)
    for document in assigned:
        for name in annotators:
            Assignment.objects.create(document=document, annotator=members[name])
    others = {name: make_user(name) for name in outsiders}
    return Team(
        corpus=corpus,
        manager=members.get(manager),
        reviewer=members.get(reviewer),
        annotators=[members[name] for name in annotators],
        outsiders=list(others.values()),
        users={**members, **others},
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
