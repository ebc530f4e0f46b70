"""The clue transfers' personal data (docs/privacy.md, liaison/core/privacy.py)."""

from liaison.core import privacy

from .models import ClueTransfer

privacy.declare(
    ClueTransfer,
    ["summary", "consent_note"],
    what="What a clue forwarded to the procuratorate says, and how the citizen consented",
    purpose="线索移送: the procuratorate's public-interest litigation office receives the matter; "
    "the consent is the record that it could be sent.",
    full="The committee staff of the region and the station's staff (cluetransfer.view). The "
    "citizen's name and phone are not copied here: the clue page shows them only when the "
    "citizen agreed (share_contact).",
    kept="As long as the case or suggestion it came from.",
)
