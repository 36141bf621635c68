"""Admin classes that show corpus managers their own corpora only.

Superusers see everything. A staff user who manages a corpus sees and edits that corpus's
objects; anything else does not exist for them (404), as on the pages and the API. That holds
for every way the admin reaches a row: lookups by id, permission checks on an object, the
history pages, list filters, select boxes and the labels next to raw-id boxes.

Accounts: a manager sees and picks the members of the corpora they manage (and whoever worked
there), never the list of every account. Adding a member is a manager's job, so the fields in
`username_fields` (the membership's user) take any active account by its exact username in a
text box: naming an account adds it, and nothing lists the others. A superuser keeps the usual
widgets and search over every account.
"""

from collections.abc import Sequence

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from .access import is_superuser, managed_corpora
from .admin_widgets import ScopedRawIdWidget, UsernameField, ValuesInScopeListFilter
from .models import Assignment, Membership

# Lookup from each corpus-owned model to its corpus; "" for the corpus itself. The apps above
# this one add theirs with `register_corpus_owned`, since this app does not know their models.
CORPUS_PATHS = {
    "corpus.Corpus": "",
    "corpus.Document": "corpus",
    "corpus.Membership": "corpus",
    "corpus.Assignment": "document__corpus",
}
# Models whose rows name a user who worked in a corpus: (model, the user's field).
USER_TRACES: list[tuple[type[Model], str]] = [(Assignment, "annotator")]


def register_corpus_owned(model: type[Model], path: str, *, user_field: str | None = None):
    """Scope the admin pages of `model` by the corpus reached by the lookup `path`; with
    `user_field`, whoever its rows name is known to the managers of their corpus."""
    CORPUS_PATHS[model._meta.label] = path
    if user_field is not None and (model, user_field) not in USER_TRACES:
        USER_TRACES.append((model, user_field))


def in_corpora(model: type[Model], corpora: QuerySet) -> dict:
    """Return the filter keeping the rows of `model` that belong to one of `corpora`."""
    path = CORPUS_PATHS[model._meta.label]
    return {f"{path}__in" if path else "pk__in": corpora}


def managed_corpus_ids(request) -> frozenset[int]:
    """Return the ids of the corpora `request.user` manages, read once per request."""
    if not hasattr(request, "_managed_corpus_ids"):
        corpora = managed_corpora(request.user).values_list("pk", flat=True)
        request._managed_corpus_ids = frozenset(corpora)
    return request._managed_corpus_ids


def corpus_id_of(request, obj: Model) -> int | None:
    """Return the id of the corpus `obj` belongs to, or None when its parent row is gone.

    Parents are looked up by id, once per request each: the spans of a document being deleted
    share one lookup, and a historical row whose document is gone belongs to no corpus.
    """
    path = CORPUS_PATHS[obj._meta.concrete_model._meta.label]
    if not path:
        return obj.pk
    first, _, rest = path.partition("__")
    field = obj._meta.get_field(first)
    parent_id = getattr(obj, field.attname)
    if not rest:
        return parent_id
    cache = request.__dict__.setdefault("_corpus_ids_of_parents", {})
    key = (field.related_model, parent_id)
    if key not in cache:
        parents = field.related_model._default_manager.filter(pk=parent_id)
        cache[key] = parents.values_list(rest, flat=True).first()
    return cache[key]


def users_known_to(user) -> QuerySet:
    """Return the accounts a corpus manager may see and pick: the members of the corpora they
    manage, and whoever annotated or was assigned there (a former member stays on their spans).
    """
    corpora = managed_corpora(user)
    known = Q(Exists(Membership.objects.filter(user=OuterRef("pk"), corpus__in=corpora)))
    for model, field in USER_TRACES:
        rows = model.objects.filter(**{field: OuterRef("pk")}, **in_corpora(model, corpora))
        known |= Q(Exists(rows))
    return get_user_model().objects.filter(known)


def choosable(model: type[Model], request) -> QuerySet:
    """Return the rows of `model` that `request.user` may see in a form field.

    A model that belongs to no corpus and is not the user model offers nothing to a manager:
    a new foreign key stays closed until someone decides who may see its rows.
    """
    if model is get_user_model():
        return users_known_to(request.user)
    if model._meta.label not in CORPUS_PATHS:
        return model._default_manager.none()
    return model._default_manager.filter(**in_corpora(model, managed_corpora(request.user)))


def scope_foreignkey(model_admin, db_field, request, kwargs: dict) -> dict:
    """Return the form field arguments of `db_field` limited to what the user may see."""
    if is_superuser(request.user):
        return kwargs
    queryset = choosable(db_field.related_model, request)
    if "queryset" in kwargs:
        queryset = kwargs["queryset"].filter(pk__in=queryset.values("pk"))
    kwargs["queryset"] = queryset
    if db_field.name in model_admin.raw_id_fields:
        kwargs["widget"] = ScopedRawIdWidget(
            db_field.remote_field,
            model_admin.admin_site,
            queryset=queryset,
            using=kwargs.get("using"),
        )
    return kwargs


def scoped_list_filter(model: type[Model], entry):
    """Return `entry` of a `list_filter` offering only the values found in the admin's rows.

    Django's own filters list every row of a related model (every corpus, tag or account), and
    a value read across a relation (`label__key`) from the whole related table.
    """
    if not isinstance(entry, str):
        return entry
    fields = get_fields_from_path(model, entry)
    if fields[-1].is_relation:
        return (entry, admin.RelatedOnlyFieldListFilter)
    if len(fields) > 1:
        return (entry, ValuesInScopeListFilter)
    return entry


class CorpusScopedAdmin(admin.ModelAdmin):
    # User foreign keys a manager fills in by exact username (a superuser gets the usual
    # widget): adding a new member is a manager's job, and listing accounts is not.
    username_fields: Sequence[str] = ()
    # Fields unique across every corpus, which only a superuser edits: "already exists" on a
    # manager's edit would tell them what another corpus is called.
    superuser_fields: Sequence[str] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request.user):
            return queryset
        return queryset.filter(**in_corpora(self.model, managed_corpora(request.user)))

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404("no such object among the corpora you manage")
        return found

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history's view reads records without get_object: scope it here,
        # including the history of deleted objects, through the document they belonged to.
        if not self.history_is_managed(request, object_id):
            raise Http404("no such object among the corpora you manage")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's form of one version neither calls get_object nor, on POST, asks
        # whether reverting is allowed: it saves the form even with the Revert button hidden.
        if not self.history_is_managed(request, object_id, version_id):
            raise Http404("no such object among the corpora you manage")
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied("revert from the document's history page")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_is_managed(self, request, object_id, version_id=None) -> bool:
        """Return whether the user may see the history of `object_id`, or its one version.

        The object must be in the user's corpora or, once deleted, must have been there when
        last recorded; a single version must have been there itself, since a span's document
        may change.
        """
        if is_superuser(request.user):
            return True
        history_name = getattr(self.model._meta, "simple_history_manager_attribute", None)
        if history_name is None:  # Django's own history view goes through get_object
            return True
        pk_name = self.model._meta.pk.attname
        try:
            exists = self.model._default_manager.filter(pk=object_id).exists()
            if exists and not self.get_queryset(request).filter(pk=object_id).exists():
                return False
            records = getattr(self.model, history_name).filter(**{pk_name: object_id})
            if version_id is not None:
                records = records.filter(history_id=version_id)
            elif exists:
                return True
            record = records.order_by("-history_date").first()
        except (ValueError, ValidationError):
            return False
        return record is not None and self.manages(request, record.instance)

    def manages(self, request, obj: Model | None = None) -> bool:
        """Return whether the user manages the corpus of `obj` (without one: any corpus)."""
        if is_superuser(request.user):
            return True
        if not (request.user.is_active and request.user.is_staff):
            return False
        corpora = managed_corpus_ids(request)
        return bool(corpora) if obj is None else corpus_id_of(request, obj) in corpora

    def has_module_permission(self, request):
        return self.manages(request)

    def has_view_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_add_permission(self, request):
        return self.manages(request)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if is_superuser(request.user):
            return fields
        return [*fields, *self.superuser_fields]

    def get_prepopulated_fields(self, request, obj=None):
        fields = super().get_prepopulated_fields(request, obj)
        if is_superuser(request.user):
            return fields
        return {
            name: source for name, source in fields.items() if name not in self.superuser_fields
        }

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_superuser(request.user):
            return filters
        return [scoped_list_filter(self.model, entry) for entry in filters]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.username_fields and not is_superuser(request.user):
            return db_field.formfield(
                form_class=UsernameField,
                queryset=get_user_model().objects.filter(is_active=True),
                shown=users_known_to(request.user),
                help_text="The exact username of the account.",
            )
        kwargs = scope_foreignkey(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CorpusScopedInline(admin.TabularInline):
    """An inline whose select boxes and raw-id labels offer only what the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scope_foreignkey(self, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
