"""The relation endpoints of the API: a document's links between spans.

As in `api`, every lookup starts from a document the user may read, and a link is changed
only by whoever may change its source span.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.access import require_editable
from corpus.models import Document

from .api import INVALID, LAYER, NOT_FOUND, invalid, visible_document, visible_spans
from .layers import LINK_REFUSAL, LINK_SPANS_REFUSAL, span_visibility
from .models import Relation
from .relations import create_relation, delete_relation, retarget_relation
from .serializers import (
    RELATION_LOOKUPS,
    RelationCreateSerializer,
    RelationSerializer,
    RelationUpdateSerializer,
    rows_json,
)


def linkable_spans(request: Request, document: Document):
    """Return the spans of `document` that a link the user sends may name: those they see.

    Another layer's span is then "does not exist" to an annotator, as for a uid never used.
    """
    spans = document.annotations.filter(span_visibility(request.user, document.corpus))
    return spans.select_related("label")


def visible_relations(request: Request, document: Document):
    """Return the links of `document` whose source span the user sees (in the layer asked for)."""
    return document.relations.filter(source__in=visible_spans(request, document))


def document_relation(request: Request, document: Document, relation_id: int) -> Relation:
    relations = visible_relations(request, document)
    relations = relations.select_related("source__label", "target__label", "document")
    return get_object_or_404(relations, pk=relation_id)


class RelationListView(APIView):
    @extend_schema(
        operation_id="relations_list",
        parameters=[LAYER],
        summary="The relations of a document",
        responses={200: RelationSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        relations = visible_relations(request, document).order_by("id")
        return Response(rows_json(relations, RELATION_LOOKUPS))

    @extend_schema(
        operation_id="relations_create",
        summary="Link two spans, e.g. a QUOTE to its speaker",
        request=RelationCreateSerializer,
        responses={201: RelationSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = visible_document(request, pk)
        serializer = RelationCreateSerializer(
            data=request.data, spans=linkable_spans(request, document)
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        for span in (data["source"], data["target"]):
            require_editable(request.user, span, document, LINK_SPANS_REFUSAL)
        try:
            relation = create_relation(
                document=document,
                relation_type=data["type"],
                source=data["source"],
                target=data["target"],
                annotator=request.user,
            )
        except DjangoValidationError as error:
            raise invalid(error) from None
        return Response(RelationSerializer(relation).data, status=status.HTTP_201_CREATED)


class RelationView(APIView):
    @extend_schema(
        operation_id="relation_retrieve",
        summary="One relation",
        responses={200: RelationSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, relation_id: int) -> Response:
        document = visible_document(request, pk)
        return Response(RelationSerializer(document_relation(request, document, relation_id)).data)

    @extend_schema(
        operation_id="relation_update",
        summary="Point a relation at another span (e.g. another speaker)",
        request=RelationUpdateSerializer,
        responses={200: RelationSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int, relation_id: int) -> Response:
        document = visible_document(request, pk)
        relation = document_relation(request, document, relation_id)
        require_editable(request.user, relation.source, document, LINK_REFUSAL)
        serializer = RelationUpdateSerializer(
            data=request.data, spans=linkable_spans(request, document)
        )
        serializer.is_valid(raise_exception=True)
        try:
            relation = retarget_relation(
                relation=relation, target=serializer.validated_data["target"]
            )
        except DjangoValidationError as error:
            raise invalid(error) from None
        return Response(RelationSerializer(relation).data)

    @extend_schema(
        operation_id="relation_destroy",
        summary="Delete a relation",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int, relation_id: int) -> Response:
        document = visible_document(request, pk)
        relation = document_relation(request, document, relation_id)
        require_editable(request.user, relation.source, document, LINK_REFUSAL)
        delete_relation(relation=relation, editor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
