"""Which layers the annotation page offers its viewer, and which one it shows.

Everyone edits their own layer; reviewers and managers also edit gold, and read any
analyst's layer or all layers together, never editing those in place (`layers` names
a span's layer; `corpus.access` answers who oversees a corpus).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from corpus.access import User, is_superuser, may_manage, sees_all_layers
from corpus.models import Document

from .layers import ALL_LAYERS, GOLD_LAYER, layer_filter

# Spans imported without an analyst: the corpus's managers look after them (corpus.access).
IMPORTED = Q(annotator__isnull=True, is_gold=False)


@dataclass(frozen=True)
class PageLayer:
    """A layer the page can show: its `?layer=` value, its title, whether it is edited there,
    and the layer name `layers.layer_filter` takes (None for all layers)."""

    value: str
    title: str
    editable: bool
    name: str | None
    # Managers' own layer also shows the spans imported without an analyst, which they edit.
    with_imported: bool = False

    @property
    def is_all(self) -> bool:
        return self.name is None

    @property
    def condition(self) -> Q:
        """Return the condition on spans that picks what this layer shows."""
        shown = layer_filter(self.name)
        return shown | IMPORTED if self.with_imported else shown

    @property
    def names_layers(self) -> bool:
        """Return whether the page names each span's layer: when it shows more than one."""
        return self.is_all or self.with_imported


def own_layer(user: User, document: Document) -> PageLayer:
    looks_after_imports = is_superuser(user) or may_manage(user, document.corpus)
    return PageLayer(
        value="",
        title="Your layer" + (" and unattributed imports" if looks_after_imports else ""),
        editable=True,
        name=user.get_username(),
        with_imported=looks_after_imports,
    )


def page_layers(user: User, document: Document) -> list[PageLayer]:
    """Return the layers the page offers `user` on `document`: their own first, then (for
    those who oversee the corpus) gold, each other analyst's (read-only) and all (read-only)."""
    layers = [own_layer(user, document)]
    if not sees_all_layers(user, document.corpus):
        return layers
    layers.append(PageLayer(value=GOLD_LAYER, title="Gold", editable=True, name=GOLD_LAYER))
    analysts = set(
        get_user_model()
        .objects.filter(
            Q(annotations__document=document, annotations__is_gold=False)
            | Q(assignments__document=document)
        )
        .exclude(pk=user.pk)
        .values_list("username", flat=True)
        .distinct()
    )
    layers.extend(
        PageLayer(value=name, title=f"{name} (read-only)", editable=False, name=name)
        for name in sorted(analysts, key=str.lower)
    )
    layers.append(
        PageLayer(value=ALL_LAYERS, title="All layers (read-only)", editable=False, name=None)
    )
    return layers


def chosen_layer(layers: list[PageLayer], asked: str | None) -> PageLayer:
    """Return the layer of `layers` that `?layer=asked` picks; the viewer's own otherwise."""
    asked = (asked or "").strip()
    for layer in layers:
        if layer.value == asked or (asked == "own" and layer.value == ""):
            return layer
    return layers[0]
