"""The citizen's photos and the departments' result attachments for API clients: the case detail
lists them with signed links that expire after 10 minutes and work only for the account they
were made for; `GET /api/v1/staff/files/{token}/` checks the signature, the age and the
permission table again, and sends the file.

Why signed links and not plain ids: a client can hand the link to an image view or a download
manager for a few minutes, and a link copied into a chat or a log is useless to anyone else and
soon to its owner too. The same rules as the staff page (liaison/cases/staff_views.py): the case
must be in the account's scope (else 404), the photos need the "case.see_photos" row (a
department only with the citizen's consent, else 403), and every download of an original is
written to the audit log.
"""

from datetime import timedelta

from django.core import signing
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, views
from rest_framework.permissions import IsAuthenticated

from liaison.cases import photos, queues
from liaison.cases.models import Case, CasePhoto, ResultAttachment
from liaison.core.errors import NotAllowed
from liaison.core.privacy import Surface

from .errors import RequestedLanguageMixin
from .models import Scope
from .permissions import HasScope
from .schema import ErrorSerializer

SALT = "liaison.api.case-file"
LINK_SECONDS = 10 * 60
PHOTO, THUMBNAIL, ATTACHMENT = "photo", "thumbnail", "attachment"
KINDS = {PHOTO, THUMBNAIL, ATTACHMENT}


def file_token(kind: str, pk: int, user) -> str:
    """A token naming one file for one account; the signer adds the time it was made."""
    return signing.TimestampSigner(salt=SALT).sign_object({"k": kind, "id": pk, "u": user.pk})


def file_url(request, kind: str, pk: int) -> str:
    token = file_token(kind, pk, request.user)
    return request.build_absolute_uri(reverse("api:staff-case-file", args=[token]))


class LinkExpired(exceptions.APIException):
    status_code = 410
    default_code = "link_expired"
    default_detail = _("This link has expired. Load the case again for a new one.")


class InvalidLink(exceptions.PermissionDenied):
    default_code = "invalid_link"
    default_detail = _("This link is not valid for your account.")


def _read_token(token: str, user) -> tuple[str, int]:
    try:
        value = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=LINK_SECONDS)
    except signing.SignatureExpired:
        raise LinkExpired() from None
    except signing.BadSignature:
        raise InvalidLink() from None
    # The signature proves we made it; the account must be the one we made it for.
    if not isinstance(value, dict) or value.get("u") != user.pk or value.get("k") not in KINDS:
        raise InvalidLink()
    if type(value.get("id")) is not int:  # not isinstance: True would pass as 1
        raise InvalidLink()
    return value["k"], value["id"]


# --- in the case detail ------------------------------------------------------------------------


class PhotoLinkSerializer(serializers.Serializer):
    """One of the citizen's photos, with links for the account that loaded the case."""

    id = serializers.IntegerField()
    url = serializers.URLField(
        help_text="The full-size JPEG; every download is logged. Works for this account only, "
        "until expires_at."
    )
    thumbnail_url = serializers.URLField(help_text="A JPEG of at most 240 px; not logged.")
    expires_at = serializers.DateTimeField()


class AttachmentLinkSerializer(serializers.Serializer):
    """A file sent with a department's result, with a link for the account that loaded the
    case."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The file name as uploaded.")
    content_type = serializers.CharField(help_text="application/pdf or image/jpeg.")
    size = serializers.IntegerField(help_text="Bytes.")
    department = serializers.CharField(help_text="Code of the department that sent it.")
    url = serializers.URLField(help_text="Works for this account only, until expires_at.")
    expires_at = serializers.DateTimeField()


def photo_links(request, case: Case) -> list[dict]:
    """The case's photos with fresh links, or [] when the account may not see them."""
    if not photos.may_see_photos(request.user, case):
        return []
    expires_at = timezone.now() + timedelta(seconds=LINK_SECONDS)
    return [
        {
            "id": photo.pk,
            "url": file_url(request, PHOTO, photo.pk),
            "thumbnail_url": file_url(request, THUMBNAIL, photo.pk),
            "expires_at": expires_at,
        }
        for photo in photos.case_photos(case)
    ]


def photos_withheld(request, case: Case) -> bool:
    return not photos.may_see_photos(request.user, case) and case.photos.exists()


def attachment_links(request, case: Case) -> list[dict]:
    expires_at = timezone.now() + timedelta(seconds=LINK_SECONDS)
    return [
        {
            "id": file.pk,
            "name": file.original_name,
            "content_type": file.content_type,
            "size": file.size,
            "department": file.assignment.department.code,
            "url": file_url(request, ATTACHMENT, file.pk),
            "expires_at": expires_at,
        }
        for file in photos.case_attachments(case)
    ]


# --- the download ------------------------------------------------------------------------------


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _not_found():
    return exceptions.NotFound(gettext("No such file in your scope."))


class StaffCaseFile(RequestedLanguageMixin, views.APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scope = Scope.STAFF

    def perform_content_negotiation(self, request, force=False):
        # An image view asks for image/*; the file answers it, and errors are JSON regardless.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        tags=["staff cases"],
        operation_id="staff_case_file",
        summary="A photo or a result attachment, by the signed link of the case detail",
        description="The links in a case's `photos` and `attachments` work for 10 minutes, for "
        "the account that loaded the case. The case must still be in the account's scope; a "
        "department sees photos only with the citizen's consent. Every download of a full-size "
        "photo is logged.",
        responses={
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            403: OpenApiResponse(
                ErrorSerializer,
                description="invalid_link: tampered, or made for another account; not_allowed: "
                "a department without the citizen's consent to see the photos; "
                "permission_denied: an application key or a token without the staff scope.",
            ),
            404: OpenApiResponse(
                ErrorSerializer, description="The file or its case is not in the scope."
            ),
            410: OpenApiResponse(
                ErrorSerializer, description="link_expired: load the case again for a new link."
            ),
        },
    )
    def get(self, request, token: str):
        kind, pk = _read_token(token, request.user)
        cases = queues.scoped_cases(request.user)
        if kind == ATTACHMENT:
            file = ResultAttachment.objects.filter(pk=pk, case__in=cases).first()
            if file is None:
                raise _not_found()
            try:
                handle = file.file.open("rb")
            except OSError:
                raise _not_found() from None
            return _private(
                FileResponse(
                    handle,
                    content_type=file.content_type,
                    as_attachment=file.content_type == "application/pdf",
                    filename=file.original_name,
                )
            )
        photo = CasePhoto.objects.select_related("case").filter(pk=pk, case__in=cases).first()
        if photo is None:
            raise _not_found()
        if not photos.may_see_photos(request.user, photo.case):
            raise NotAllowed(
                gettext(
                    "The citizen did not agree to share their personal information with the "
                    "handling department; the photos are not shown."
                )
            )
        if kind == THUMBNAIL:
            data = photos.thumbnail(photo)
            if data is None:
                raise _not_found()
            return _private(HttpResponse(data, content_type="image/jpeg"))
        try:
            handle = photos.open_original(photo, request.user, surface=Surface.STAFF_API)
        except OSError:
            raise _not_found() from None
        return _private(
            FileResponse(handle, content_type="image/jpeg", filename=f"photo-{photo.pk}.jpg")
        )
