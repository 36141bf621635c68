"""The suggestion endpoints of the API: a document's pending suggestions, accepting and
rejecting them, and "tag all occurrences".

Permissions are the spans API's: every lookup starts from a document the user may read
(`annotations.api.visible_document`), so another corpus's documents and suggestions answer
404, and what is accepted goes into the user's own layer, as a span they add would.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import INVALID, NOT_FOUND, invalid, visible_document
from annotations.models import Label
from annotations.serializers import (
    NulSafeSlugField,
    RelationSerializer,
    SpanSerializer,
    relation_json,
    span_json,
)
from corpus.models import Document

from .models import Suggestion
from .ondemand import OnDemand, make_on_demand
from .review import (
    Accepted,
    accept_pending,
    accept_suggestions,
    at_places,
    own_layer,
    pending_suggestions,
    propose_occurrences,
    reject_suggestion,
    suggestions_json,
    suggestions_of_label,
)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True, help_text="Label key, e.g. QUOTE.")
    start = serializers.IntegerField(read_only=True, help_text="Code points, inclusive.")
    end = serializers.IntegerField(read_only=True, help_text="Code points, exclusive.")
    text = serializers.CharField(read_only=True)
    attributes = serializers.DictField(read_only=True)
    suggester = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True, help_text="From 0 to 1.")
    speaker = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The suggested speaker's suggestion id."
    )


class SuggestionListSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True, read_only=True)
    generated = serializers.BooleanField(
        read_only=True, help_text="Whether the suggestions were made for this request."
    )
    making = serializers.BooleanField(
        read_only=True,
        help_text="Whether another request is making them now (none are listed yet): "
        "ask again shortly.",
    )


class AcceptedSerializer(serializers.Serializer):
    span = SpanSerializer(read_only=True)
    relations = RelationSerializer(many=True, read_only=True)


class AcceptedAllSerializer(serializers.Serializer):
    spans = SpanSerializer(many=True, read_only=True)
    relations = RelationSerializer(many=True, read_only=True)


class AcceptAllSerializer(serializers.Serializer):
    label = NulSafeSlugField(slug_field="key", queryset=Label.objects.none())

    def __init__(self, *args, document: Document | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if document is not None:
            self.fields["label"].queryset = Label.objects.filter(corpus_id=document.corpus_id)


class AcceptChosenSerializer(serializers.Serializer):
    suggestions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=10_000,
        help_text="Ids of suggestions of this document that you have still to review.",
    )


class OccurrencesSerializer(serializers.Serializer):
    span = serializers.CharField(
        max_length=64, help_text="The uid of a span of your own layer, whose text is sought."
    )


def made_on_demand(request: Request, document: Document) -> OnDemand:
    """Make `document`'s suggestions unless they were made or are being made; say which.

    What the corpus knows is what this page shows its viewer: their own layer and gold.
    """
    return make_on_demand(document, layers=own_layer(request.user) | Q(is_gold=True))


def document_suggestion(request: Request, pk: int) -> tuple[Document, Suggestion]:
    """Return suggestion `pk` and its document, if the user may read it, else raise Http404."""
    suggestion = get_object_or_404(Suggestion.objects.select_related("label"), pk=pk)
    document = visible_document(request, suggestion.document_id)
    return document, suggestion


class SuggestionListView(APIView):
    @extend_schema(
        operation_id="suggestions_list",
        summary="The suggestions of a document you have not accepted or rejected yet; "
        "made now if the document has none",
        responses={200: SuggestionListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        outcome = made_on_demand(request, document)
        pending = pending_suggestions(document, request.user)
        return Response(
            {
                "suggestions": suggestions_json(document, pending),
                "generated": outcome is OnDemand.MADE_NOW,
                "making": outcome is OnDemand.BEING_MADE,
            }
        )


class SuggestionAcceptView(APIView):
    @extend_schema(
        operation_id="suggestion_accept",
        summary="Take a suggestion into your own layer, with its attributes and, where both "
        "ends are in your layer, its speaker link",
        request=None,
        responses={200: AcceptedSerializer, 201: AcceptedSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        document, suggestion = document_suggestion(request, pk)
        try:
            accepted = accept_suggestions(
                document=document, suggestions=[suggestion], user=request.user
            )
        except DjangoValidationError as error:
            raise invalid(error) from None
        return Response(
            {
                "span": span_json(accepted.spans[0]),
                "relations": [relation_json(r) for r in accepted.relations],
            },
            status=status.HTTP_201_CREATED if accepted.created else status.HTTP_200_OK,
        )


class SuggestionRejectView(APIView):
    @extend_schema(
        operation_id="suggestion_reject",
        summary="Turn a suggestion down: it is not shown to you again, even once remade",
        request=None,
        responses={204: None, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        _, suggestion = document_suggestion(request, pk)
        reject_suggestion(suggestion=suggestion, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def accepted_response(accept: Callable[[], Accepted]) -> Response:
    """Run `accept` (an accept of several suggestions); answer 201 with the spans it made and
    the links, or 400 with why it refused (it wrote nothing then)."""
    try:
        accepted = accept()
    except DjangoValidationError as error:
        raise invalid(error) from None
    return Response(
        {
            "spans": [span_json(span) for span in accepted.created],
            "relations": [relation_json(r) for r in accepted.relations],
        },
        status=status.HTTP_201_CREATED,
    )


class AcceptAllView(APIView):
    @extend_schema(
        operation_id="suggestions_accept_all",
        summary="Accept every pending suggestion of one label; quotes bring their speakers",
        request=AcceptAllSerializer,
        responses={201: AcceptedAllSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = AcceptAllSerializer(data=request.data, document=document)
        serializer.is_valid(raise_exception=True)
        chosen = suggestions_of_label(document, request.user, serializer.validated_data["label"])
        return accepted_response(
            lambda: accept_suggestions(document=document, suggestions=chosen, user=request.user)
        )


class AcceptChosenView(APIView):
    @extend_schema(
        operation_id="suggestions_accept_chosen",
        summary="Accept the chosen suggestions of a document (the occurrences of a span, "
        "say) in one transaction; quotes and speakers accepted together are linked",
        description="Each id must be a suggestion of this document that you have not "
        "accepted, covered or rejected; otherwise the answer is 400, naming the ids refused, "
        "and nothing is written.",
        request=AcceptChosenSerializer,
        responses={201: AcceptedAllSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = AcceptChosenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["suggestions"]
        return accepted_response(
            lambda: accept_pending(document=document, user=request.user, ids=ids)
        )


class OccurrencesView(APIView):
    @extend_schema(
        operation_id="suggestions_occurrences",
        summary="Suggest a span's label at every other whole-word occurrence of its text",
        request=OccurrencesSerializer,
        responses={200: SuggestionListSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = OccurrencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        uid = serializer.validated_data["span"]
        spans = document.annotations.filter(own_layer(request.user)).select_related("label")
        span = spans.filter(uid=uid).first()
        if span is None:
            raise Http404("No span of your layer matches the given query.")
        span.document = document
        places = propose_occurrences(span=span)
        pending = pending_suggestions(document, request.user)
        found = at_places(document, pending, span.label, places)
        return Response(
            {"suggestions": suggestions_json(document, found), "generated": False, "making": False}
        )
