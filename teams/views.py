"""Pages for reviewers and managers: compare layers, adjudicate, agreement, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from annotations.highlight import render_highlighted_text
from annotations.layers import GOLD_LAYER, group_by_layer
from annotations.models import Annotation
from annotations.spans import delete_span
from corpus.access import may_review, visible_corpora, visible_documents
from corpus.models import Corpus, Document
from corpus.request_params import parse_id, parse_text

from .adjudication import accept_agreed, accept_spans, compare_document
from .corpus_agreement import corpus_agreement
from .history import RevertError, document_history, revert_change

AGREED_COLOUR = "#2ca02c"
DISPUTED_COLOUR = "#ff7f0e"


def reviewable_document(request: HttpRequest, pk: int) -> Document:
    """Return the document if the user may review it: 404 if unseen, 403 if only annotated."""
    document = get_object_or_404(visible_documents(request.user).select_related("corpus"), pk=pk)
    if not may_review(request.user, document.corpus):
        raise PermissionDenied("reviewing needs the reviewer or manager role in this corpus")
    return document


def layer_html(document: Document, spans: list[Annotation]):
    """Return `document`'s text with `spans` marked; their titles name labels, not keys."""
    return render_highlighted_text(
        document.text,
        [(s.start, s.end, s.label.name, s.label.colour) for s in spans],
        [],
    )


def label_legend(spans: list[Annotation]) -> list[tuple[str, str]]:
    """Return the (name, colour) of each label among `spans`, in order of first use."""
    return list(dict.fromkeys((s.label.name, s.label.colour) for s in spans))


def review_context(document: Document, view: str = "side-by-side") -> dict:
    """Return what the review page and its partial updates render."""
    comparison = compare_document(document)
    analysts, groups = comparison.analysts, comparison.groups
    layers = group_by_layer(comparison.spans, [*analysts, GOLD_LAYER])
    variants = comparison.variants
    merged = render_highlighted_text(
        document.text,
        [
            (v.start, v.end, v.label_name, AGREED_COLOUR if v.agreed else DISPUTED_COLOUR)
            for v in variants
        ],
        [],
    )
    return {
        "document": document,
        "analysts": analysts,
        "groups": groups,
        "variants": variants,
        "agreed_count": sum(g.status == "agreed" for g in groups),
        "agreed_left": sum(g.status == "agreed" and not g.in_gold for g in groups),
        "layers": [
            (name, layer_html(document, layer), label_legend(layer))
            for name, layer in layers.items()
        ],
        "merged": merged,
        "view": view,
        "gold_spans": layers[GOLD_LAYER],
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    document = reviewable_document(request, pk)
    view = request.GET.get("view", "side-by-side")
    context = review_context(document, view)
    if view not in {"side-by-side", "merged", *(name for name, _, _ in context["layers"])}:
        context["view"] = "side-by-side"
    return render(request, "teams/review.html", context)


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def adjudicated(
    request: HttpRequest, document: Document, message: str, *, level: int = messages.SUCCESS
) -> HttpResponse:
    """Answer an adjudication: to the page's script, the parts of the page that changed (so
    it updates in place, where the reviewer is); without script, a redirect back."""
    if not wants_json(request):
        messages.add_message(request, level, message)
        return redirect("teams:review", pk=document.pk)
    context = review_context(document)
    gold, legend = next((h, legend) for name, h, legend in context["layers"] if name == GOLD_LAYER)
    return JsonResponse(
        {
            "message": message,
            "level": messages.DEFAULT_TAGS[level],
            "adjudication": render_to_string("teams/_adjudication.html", context, request=request),
            "gold": str(gold),
            "gold_legend": render_to_string("teams/_legend.html", {"legend": legend}),
        }
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    document = reviewable_document(request, pk)
    if request.POST.get("agreed"):
        accepted = accept_agreed(document=document, reviewer=request.user)
        if not accepted:
            return adjudicated(
                request,
                document,
                "Nothing left to accept: every mention all analysts agree on is in gold "
                "already, or none is agreed. Choose among the variants below.",
                level=messages.INFO,
            )
    else:
        ids = [parse_id(i, name="span") for i in request.POST.getlist("span")]
        chosen = list(
            document.annotations.filter(pk__in=ids, is_gold=False).select_related("label")
        )
        accepted = accept_spans(spans=chosen, reviewer=request.user)
    return adjudicated(request, document, f"{len(accepted)} span(s) in the gold layer.")


@login_required
@require_POST
def remove_gold(request: HttpRequest, pk: int) -> HttpResponse:
    document = reviewable_document(request, pk)
    uid = parse_text(request.POST.get("uid", ""), name="uid")
    spans = document.annotations.select_related("label")
    gold = get_object_or_404(spans, uid=uid, is_gold=True)
    delete_span(span=gold, editor=request.user)
    return adjudicated(
        request, document, f"Removed {gold.label.name} {gold.text!r} from the gold layer."
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    document = reviewable_document(request, pk)
    return render(
        request,
        "teams/history.html",
        {"document": document, "entries": document_history(document)},
    )


@login_required
@require_POST
def revert(request: HttpRequest, pk: int) -> HttpResponse:
    document = reviewable_document(request, pk)
    try:
        done = revert_change(
            kind=request.POST.get("kind", ""),
            record_id=parse_id(request.POST.get("record", ""), name="record"),
            document=document,
            user=request.user,
        )
    except RevertError as error:
        messages.error(request, f"Cannot revert: {error}")
    else:
        messages.success(request, f"Reverted: {done}.")
    return redirect("teams:history", pk=document.pk)


@login_required
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    corpus: Corpus = get_object_or_404(visible_corpora(request.user), slug=slug)
    if not may_review(request.user, corpus):
        raise PermissionDenied("agreement figures are for reviewers and managers")
    return render(
        request, "teams/agreement.html", {"corpus": corpus, "rows": corpus_agreement(corpus)}
    )
