"""The public's rating of the result (办理结果网上评): once per voter, limited per address.

The page and the API both rate through here, count against the same limit per client address
(liaison.core.ratelimit) and hash their voters the same way.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from liaison.cases.models import Rating
from liaison.core import audit, ratelimit
from liaison.core.errors import TransitionRefused

from ..models import PublicRating, Suggestion

PUBLIC_RATINGS_PER_IP = ratelimit.Limit(
    "suggestion-rating-ip", "LIAISON_RATE_SUGGESTION_RATINGS_PER_IP", ratelimit.HOUR
)


class AlreadyRated(TransitionRefused):
    code = "already_rated"


def voter_hash(token: str) -> str:
    """What is kept of a voter: a keyed hash of the browser's random cookie (or of the API
    client's own id), so that one rating per voter holds and nothing about the person is kept."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:voter:{token}".encode()).hexdigest()


def rate_publicly(suggestion: Suggestion, *, rating: str, voter: str) -> PublicRating:
    """One rating per voter (`voter`: `voter_hash` of its token) on an answered suggestion. The
    caller checks PUBLIC_RATINGS_PER_IP first and counts a rating that went through."""
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    if not suggestion.is_public:
        raise TransitionRefused(_("Only answered suggestions can be rated."))
    try:
        with transaction.atomic():
            row = PublicRating.objects.create(suggestion=suggestion, rating=rating, voter=voter)
    except IntegrityError:
        raise AlreadyRated(_("You have rated this suggestion already.")) from None
    audit.record("suggestion.publicly_rated", obj=suggestion, rating=rating)
    return row
