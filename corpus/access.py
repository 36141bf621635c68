"""Who may see and do what, per corpus. Every page, API view, admin page and command asks here.

Each question is answered twice, once for many rows (a `Q` or a queryset, for lists and
lookups) and once for a row in hand (a predicate, for a row already read); the Hypothesis
test in tests/corpus/test_access.py proves each pair equal. Which spans of a document a user
sees in which layer depends on the layers, so it is answered in `annotations.layers`.

Objects outside what a user may see are answered 404 by the callers, never 403, so their
existence does not leak.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from .models import Assignment, Corpus, Document, Membership

User = AbstractBaseUser | AnonymousUser
Role = Membership.Role
# Roles that see every document of their corpus and every analyst's layer.
OVERSEEING_ROLES = (Role.MANAGER, Role.REVIEWER)


def is_superuser(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def role_in(user: User, corpus: Corpus) -> str | None:
    """Return the user's role in `corpus` (superusers manage everything), or None."""
    if is_superuser(user):
        return Role.MANAGER
    if not user.is_authenticated:
        return None
    # One lookup per corpus per user object: a request asks several questions of the same role.
    roles = user.__dict__.setdefault("_byline_corpus_roles", {})
    if corpus.pk not in roles:
        roles[corpus.pk] = (
            Membership.objects.filter(corpus=corpus, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return roles[corpus.pk]


def with_viewer_access(documents: QuerySet[Document], user: User) -> QuerySet[Document]:
    """Annotate `viewer_role`, the user's role in each document's corpus, and
    `viewer_assignment`, the status of their assignment of it (None where there is none).

    For one document, reading these along with it and deciding with `may_read` costs the ORM
    much less than filtering by `document_visibility`, whose rule `may_read` restates.
    """
    if not user.is_authenticated:
        return documents.none()
    documents = documents.annotate(viewer_assignment=viewer_assignment_status(user))
    if is_superuser(user):
        return documents
    return documents.annotate(viewer_role=viewer_role(user, corpus=OuterRef("corpus")))


# order_by() in both: the models' default orderings would join the corpus and document tables
# into each one-row subquery only to sort it, once per row of the outer query.
def viewer_assignment_status(user: User) -> Subquery:
    """The status of `user`'s assignment of the outer query's document (OuterRef("pk"))."""
    mine = Assignment.objects.filter(document=OuterRef("pk"), annotator=user.pk).order_by()
    return Subquery(mine.values("status")[:1])


def viewer_role(user: User, *, corpus: OuterRef) -> Subquery:
    """The role of `user` in the corpus `corpus` refers to in the outer query, or None."""
    role = Membership.objects.filter(corpus=corpus, user=user.pk).order_by()
    return Subquery(role.values("role")[:1])


def may_read(user: User, document: Document) -> bool:
    """Return whether `user` may read `document`: the rule of `document_visibility` for one row.

    Overseers read their corpora whole; other members read what is assigned to them. A
    document loaded through `with_viewer_access(..., user)` answers without a query.
    """
    if is_superuser(user):
        return True
    if not user.is_authenticated:
        return False
    if hasattr(document, "viewer_role"):
        role, assigned = document.viewer_role, document.viewer_assignment is not None
    else:
        role = role_in(user, document.corpus)
        assigned = Assignment.objects.filter(document=document, annotator=user).exists()
    return role in OVERSEEING_ROLES or (role is not None and assigned)


def remember_role(user: User, row: Document | Corpus) -> None:
    """Keep the role of `user` read along with `row` for `role_in` to answer from.

    `row` is a document read through `with_viewer_access(..., user)` or a corpus read
    through `with_viewer_role(user)`.
    """
    if hasattr(row, "viewer_role"):
        roles = user.__dict__.setdefault("_byline_corpus_roles", {})
        roles[row.pk if isinstance(row, Corpus) else row.corpus_id] = row.viewer_role


def visible_corpora(user: User) -> QuerySet[Corpus]:
    """Return the corpora `user` is a member of (all of them for a superuser)."""
    return Corpus.objects.filter(corpus_visibility(user))


def may_see_corpus(user: User, corpus: Corpus) -> bool:
    """Return whether `corpus` is one of `visible_corpora(user)`."""
    return role_in(user, corpus) is not None


def managed_corpora(user: User) -> QuerySet[Corpus]:
    """Return the corpora `user` manages (all of them for a superuser)."""
    if is_superuser(user):
        return Corpus.objects.all()
    if not user.is_authenticated:
        return Corpus.objects.none()
    return Corpus.objects.filter(memberships__user=user, memberships__role=Role.MANAGER)


def reviewed_corpora(user: User) -> QuerySet[Corpus]:
    """Return the corpora `user` reviews or manages (all of them for a superuser)."""
    if is_superuser(user):
        return Corpus.objects.all()
    if not user.is_authenticated:
        return Corpus.objects.none()
    overseen = Membership.objects.filter(
        user=user, corpus=OuterRef("pk"), role__in=OVERSEEING_ROLES
    )
    return Corpus.objects.filter(Exists(overseen))


def member_usernames(corpus: Corpus) -> set[str]:
    """Return the usernames of the members of `corpus`, whatever their role."""
    return set(Membership.objects.filter(corpus=corpus).values_list("user__username", flat=True))


def visible_documents(user: User) -> QuerySet[Document]:
    """Return the documents `user` may read: all in corpora they oversee, else their own.

    Annotators see the documents assigned to them; managers and reviewers see their
    corpora whole.
    """
    return Document.objects.filter(document_visibility(user))


def sees_all_layers(user: User, corpus: Corpus) -> bool:
    """Return whether `user` sees every analyst's spans, not only their own."""
    return role_in(user, corpus) in OVERSEEING_ROLES


def may_manage(user: User, corpus: Corpus) -> bool:
    """Return whether `user` configures labels, members, assignments and exports of `corpus`."""
    return role_in(user, corpus) == Role.MANAGER


def may_review(user: User, corpus: Corpus) -> bool:
    """Return whether `user` may compare layers and build the gold layer of `corpus`."""
    return role_in(user, corpus) in OVERSEEING_ROLES


def corpus_for_command(
    name: str, *, as_user: str | None, allowed: Callable[[User, Corpus], bool]
) -> Corpus:
    """Return the corpus called `name` for a management command, or raise LookupError.

    Without `as_user` the command runs as the operator, who has the database anyway. With
    it, the command acts for that user: a corpus they may not act on does not exist for them,
    as on the pages and the API.
    """
    corpus = Corpus.objects.filter(name=name).first()
    if as_user is not None:
        user = get_user_model().objects.filter(username=as_user, is_active=True).first()
        if user is None:
            raise LookupError(f"no active user called {as_user!r}")
        if corpus is not None and not allowed(user, corpus):
            corpus = None
    if corpus is None:
        raise LookupError(f"no corpus called {name!r}")
    return corpus


def document_visibility(user: User) -> Q:
    """Return the condition on documents that `user` may read (see `visible_documents`)."""
    if is_superuser(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    overseen = Membership.objects.filter(
        user=user, corpus=OuterRef("corpus"), role__in=OVERSEEING_ROLES
    )
    assigned = Assignment.objects.filter(
        document=OuterRef("pk"), annotator=user, document__corpus__memberships__user=user
    )
    return Q(Exists(overseen)) | Q(Exists(assigned))


def corpus_visibility(user: User) -> Q:
    """Return the condition on corpora that `user` is a member of."""
    if is_superuser(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(Exists(Membership.objects.filter(user=user, corpus=OuterRef("pk"))))


def require_editable(user: User, span, document: Document, refusal: str) -> None:
    """Raise PermissionDenied(`refusal`) unless `user` may change `span` of `document`.

    `document` is the one the caller read for the request (with the user's role, if read
    through `with_viewer_access`), so the check asks no query for it again.
    """
    span.document = document
    if not may_edit_span(user, span):
        raise PermissionDenied(refusal)


def may_edit_span(user: User, span) -> bool:
    """Return whether `user` may change or delete `span`: their own, gold for reviewers."""
    if is_superuser(user):
        return True
    if span.is_gold:
        return may_review(user, span.document.corpus)
    if span.annotator_id is None:
        # Imported without an annotator: the corpus's managers look after it.
        return may_manage(user, span.document.corpus)
    return span.annotator_id == user.pk


def span_edit_condition(user: User, corpus: Corpus) -> Q:
    """Return the condition on the spans of `corpus` that `user` may change or delete: the
    rule of `may_edit_span` for many rows."""
    if is_superuser(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    editable = Q(is_gold=False, annotator=user)
    if may_review(user, corpus):
        editable |= Q(is_gold=True)
    if may_manage(user, corpus):
        editable |= Q(is_gold=False, annotator__isnull=True)
    return editable


def job_visibility(user: User) -> Q:
    """Return the condition on background jobs (`jobs.Job`) that `user` may see, cancel and
    download: every job of the corpora they manage, and their own in the corpora they still
    belong to (a member removed from a corpus loses its exports with it)."""
    if is_superuser(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    managed = Membership.objects.filter(user=user, corpus=OuterRef("corpus"), role=Role.MANAGER)
    member = Membership.objects.filter(user=user, corpus=OuterRef("corpus"))
    return Q(Exists(managed)) | (Q(started_by=user.pk) & Q(Exists(member)))


def may_see_job(user: User, job) -> bool:
    """Return whether `user` may see `job`: the rule of `job_visibility` for one row."""
    if is_superuser(user):
        return True
    if not user.is_authenticated:
        return False
    role = role_in(user, job.corpus)
    return role == Role.MANAGER or (role is not None and job.started_by_id == user.pk)
