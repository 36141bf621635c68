"""The JSON API that the annotation page saves through; scripts use it with a token.

Every lookup starts from a document the user may read (`corpus.access`), so any other
document, and its spans and relations, answer 404. Writes call the functions of
`annotations.spans` and `annotations.relations`.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from corpus.access import (
    may_read,
    may_review,
    remember_role,
    require_editable,
    with_viewer_access,
)
from corpus.models import Document
from corpus.progress import set_status
from corpus.tags import set_document_tags

from . import spans as edits
from .layers import (
    GOLD_LAYER,
    SPAN_REFUSAL,
    span_visibility,
)
from .models import Annotation
from .serializers import (
    SPAN_LOOKUPS,
    ConflictSerializer,
    DocumentSerializer,
    SpanCreateSerializer,
    SpanSerializer,
    SpanUpdateSerializer,
    StatusSerializer,
    TagsSerializer,
    django_errors,
    document_json,
    rows_json,
    span_json,
)

NOT_FOUND = OpenApiResponse(description="No such object among those you may see.")
INVALID = OpenApiResponse(description="Invalid input: messages keyed by field.")
CONFLICT = OpenApiResponse(
    ConflictSerializer, description="The span changed since you read it; here is its version."
)


LAYER = OpenApiParameter(
    "layer",
    OpenApiTypes.STR,
    description="Reviewers and managers: all (default), gold, or an analyst's username. "
    "Annotators always see their own layer.",
)
# DRF's CharField refuses NUL, which PostgreSQL cannot compare with a username.
LAYER_FIELD = serializers.CharField(allow_blank=True, trim_whitespace=False)


def visible_document(request: Request, pk: int, *, text: bool = True) -> Document:
    """Return document `pk` if the user may see it, else raise Http404.

    The same query reads the user's role in its corpus and their assignment of it; without
    `text`, the text and import metadata stay unread.
    """
    user = request.user
    documents = with_viewer_access(Document.objects.select_related("corpus"), user)
    if not text:
        documents = documents.defer("text", "metadata", "quality_flags")
    document = get_object_or_404(documents, pk=pk)
    if not may_read(user, document):
        raise Http404("No Document matches the given query.")
    remember_role(user, document)
    return document


def requested_layer(request: Request) -> str | None:
    """Return the `?layer=` asked for, if any; answer 400 for one no layer is called (NUL)."""
    sent = request.query_params.get("layer")
    try:
        return None if sent is None else LAYER_FIELD.run_validation(sent)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"layer": error.detail}) from None


def visible_spans(request: Request, document: Document):
    """Return the spans of `document` in the layer the user sees (and asked for)."""
    layer = requested_layer(request)
    return document.annotations.filter(span_visibility(request.user, document.corpus, layer))


def document_span(request: Request, document: Document, uid: str) -> Annotation:
    """Return the span `uid` of `document` in the layer the user sees, else raise Http404."""
    if "\x00" in uid:
        # No span is called that, and PostgreSQL refuses to compare text with NUL.
        raise Http404("No Annotation matches the given query.")
    spans = visible_spans(request, document).select_related("label", "annotator")
    return get_object_or_404(spans, uid=uid)


def editable_span(request: Request, document: Document, uid: str) -> Annotation:
    """Return a span the user sees and may change: 404 if unseen, 403 if another's."""
    span = document_span(request, document, uid)
    require_editable(request.user, span, document, SPAN_REFUSAL)
    return span


def invalid(error: DjangoValidationError) -> serializers.ValidationError:
    """Return the 400 error for a broken span rule."""
    return serializers.ValidationError(django_errors(error, api_settings.NON_FIELD_ERRORS_KEY))


def conflict(stale: edits.StaleVersion) -> Response:
    return Response(
        {
            "detail": f"span {stale.current.uid} was changed meanwhile "
            f"(now version {stale.current.version})",
            "current": span_json(stale.current),
        },
        status=status.HTTP_409_CONFLICT,
    )


class DocumentView(APIView):
    @extend_schema(
        operation_id="document_retrieve",
        parameters=[LAYER],
        summary="A document with its labels, spans, relations and tags",
        responses={200: DocumentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        layer = requested_layer(request)
        return Response(document_json(document, viewer=request.user, layer=layer))


class SpanListView(APIView):
    @extend_schema(
        operation_id="spans_list",
        parameters=[LAYER],
        summary="The spans of a document, in text order",
        responses={200: SpanSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        return Response(rows_json(visible_spans(request, document).for_export(), SPAN_LOOKUPS))

    @extend_schema(
        operation_id="spans_create",
        summary="Create a span; offsets are code points and `text` must be what they cover",
        request=SpanCreateSerializer,
        responses={201: SpanSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = SpanCreateSerializer(data=request.data, document=document)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        gold = data["layer"] == GOLD_LAYER
        if gold and not may_review(request.user, document.corpus):
            raise PermissionDenied("only reviewers and managers add to the gold layer")
        try:
            span = edits.create_span(
                document=document,
                label=data["label"],
                start=data["start"],
                end=data["end"],
                covered=data["text"],
                attributes=data["attributes"],
                annotator=request.user,
                uid=data.get("uid"),
                is_gold=gold,
            )
        except DjangoValidationError as error:
            raise invalid(error) from None
        return Response(span_json(span), status=status.HTTP_201_CREATED)


class SpanView(APIView):
    @extend_schema(
        operation_id="span_retrieve",
        summary="One span",
        responses={200: SpanSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, uid: str) -> Response:
        return Response(span_json(document_span(request, visible_document(request, pk), uid)))

    @extend_schema(
        operation_id="span_update",
        summary="Relabel a span, replace its attributes or move its edges, if still at `version`",
        request=SpanUpdateSerializer,
        responses={200: SpanSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int, uid: str) -> Response:
        span = editable_span(request, visible_document(request, pk, text=False), uid)
        serializer = SpanUpdateSerializer(data=request.data, span=span)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            span = edits.update_span(
                span=span,
                version=data["version"],
                label=data.get("label"),
                attributes=data.get("attributes"),
                bounds=(data["start"], data["end"]) if "start" in data else None,
            )
        except edits.StaleVersion as stale:
            return conflict(stale)
        except Annotation.DoesNotExist:
            raise Http404 from None
        except DjangoValidationError as error:
            raise invalid(error) from None
        return Response(span_json(span))

    @extend_schema(
        operation_id="span_destroy",
        summary="Delete a span and its relations, if it is still at `version` (when given)",
        parameters=[
            OpenApiParameter(
                "version", OpenApiTypes.INT, description="The version you read (optional)."
            )
        ],
        responses={204: None, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def delete(self, request: Request, pk: int, uid: str) -> Response:
        span = editable_span(request, visible_document(request, pk, text=False), uid)
        version = serializers.IntegerField(min_value=1, required=False)
        try:
            sent = request.query_params.get("version")
            expected = None if sent is None else version.run_validation(sent)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"version": error.detail}) from None
        try:
            edits.delete_span(span=span, version=expected)
        except edits.StaleVersion as stale:
            return conflict(stale)
        except Annotation.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentStatusView(APIView):
    @extend_schema(
        operation_id="document_status_update",
        summary="Set the document's status: new, in_progress or done",
        request=StatusSerializer,
        responses={200: StatusSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def put(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        status_now = set_status(
            user=request.user, document=document, status=serializer.validated_data["status"]
        )
        return Response({"status": status_now})


class DocumentTagsView(APIView):
    @extend_schema(
        operation_id="document_tags_update",
        summary="Replace the document's tags",
        request=TagsSerializer,
        responses={200: TagsSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def put(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = TagsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            tags = set_document_tags(document=document, names=serializer.validated_data["tags"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"tags": error.messages}) from None
        return Response({"tags": tags})
