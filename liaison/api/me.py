"""The signed-in account's own things: its inbox (GET /api/v1/me/notifications)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, views
from rest_framework.response import Response

from liaison.notifications import inbox
from liaison.notifications.models import Notification

from .cases_staff import StaffView, bool_param
from .fields import IdField
from .parsers import ObjectJSONParser

TAG = ["me"]


class NoticeSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read", "read_at"]

    def get_read(self, notice) -> bool:
        return notice.read_at is not None

    def get_link(self, notice) -> str:
        """The page the notice is about, on this site (a path), or ""."""
        return inbox.safe_link(notice)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), required=False, max_length=500)
    all = serializers.BooleanField(required=False, default=False)
    request_schema_rule = {
        "anyOf": [
            {"required": ["ids"], "properties": {"ids": {"minItems": 1}}},
            {"required": ["all"], "properties": {"all": {"const": True}}},
        ]
    }

    def validate(self, data):
        if not data.get("all") and not data.get("ids"):
            raise serializers.ValidationError(_("Give the ids of the notices, or all: true."))
        return data


class MyNotices(StaffView, generics.ListAPIView):
    serializer_class = NoticeSerializer

    def get_queryset(self):
        found = inbox.notices(self.request.user)
        if bool_param(self.request.query_params, "unread"):
            found = found.filter(read_at__isnull=True)
        return found

    @extend_schema(
        tags=TAG,
        summary="My notices (通知中心), newest first, with the unread count",
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notices.")
        ],
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["unread"] = inbox.unread_count(request.user)
        return response


class MarkNoticesRead(StaffView, views.APIView):
    # JSON only: a list of ids and a boolean have no unambiguous form encoding.
    parser_classes = [ObjectJSONParser]

    @extend_schema(
        tags=TAG,
        summary="Mark my notices read: the given ids, or all",
        request={"application/json": MarkReadSerializer},
        responses=inline_serializer(
            "MarkedRead",
            {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()},
        ),
    )
    def post(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = None if body.validated_data["all"] else body.validated_data["ids"]
        marked = inbox.mark_read(request.user, ids)
        return Response({"marked": marked, "unread": inbox.unread_count(request.user)})
