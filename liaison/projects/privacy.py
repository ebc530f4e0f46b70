"""The livelihood projects' personal data (docs/privacy.md, liaison/core/privacy.py)."""

from liaison.core import privacy

from .models import Photo, Rating, RatingCode

privacy.declare(
    Rating,
    ["phone_hash"],
    what="A keyed hash of the phone that rated a completed project",
    purpose="One rating per phone: recognises a second rating, and nothing else.",
    full="Nobody: the phone number itself is not kept, only a keyed hash of it.",
    kept="As long as the project's rating is shown.",
)
privacy.declare(
    RatingCode,
    ["phone_hash"],
    what="A keyed hash of the phone a rating code was sent to",
    purpose="Proves the phone of a citizen who rates a project (one-time SMS code).",
    full="Nobody: the phone number itself is not kept, only a keyed hash of it.",
    kept="As long as the project exists, like the code rows of the other apps.",
)
privacy.declare(
    Photo,
    ["image"],
    what="Photos of a project's progress and acceptance (building sites, facilities)",
    purpose="The public project page: citizens see what was built with the budget.",
    full="Everybody (the public project page). Staff take them of the works, not of people.",
    kept="As long as the project is published.",
)
