"""相似留言 — which open messages a new one resembles: text similarity plus place and category.

The text part is the cosine of sublinear, l2-normalised hashed counts of jieba words and character
bigrams (bigrams catch a re-phrasing that shares no whole word). Same category adds
CATEGORY_BONUS, the same station or the same place (location text) PLACE_BONUS. Candidates come
from the caller (cases: the open cases of the last 90 days in the reviewer's scope).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import normalize

from . import text as t

CATEGORY_BONUS = 0.1
PLACE_BONUS = 0.1
MIN_TEXT_SIMILARITY = 0.18
MIN_SIMILARITY = 0.18


@dataclass(frozen=True)
class Candidate:
    key: object  # the caller's id for the row (a case's tracking number)
    text: str
    category: object = None
    place: str = ""  # station id, region path or location text: equal means "the same place"
    location: str = ""


@dataclass(frozen=True)
class Match:
    key: object
    similarity: float
    text_similarity: float
    same_category: bool
    same_place: bool


def _vectors(texts: list[str]):
    rows = t.hasher().transform([t.text_tokens(x) for x in texts]).astype(np.float32)
    rows.data = 1 + np.log(rows.data)  # sublinear tf
    return normalize(rows)


def _same_location(a: str, b: str) -> bool:
    a, b = (a or "").strip(), (b or "").strip()
    if len(a) < 3 or len(b) < 3:
        return False
    return a in b or b in a


def similar(probe: Candidate, candidates: list[Candidate], *, limit: int = 5) -> list[Match]:
    """The candidates most like `probe`, best first; none for an empty or very short text."""
    candidates = [c for c in candidates if c.key != probe.key]
    if not candidates or t.meaningful_length(probe.text) < t.MIN_CHARS:
        return []
    matrix = _vectors([probe.text] + [c.text for c in candidates])
    sims = (matrix[1:] @ matrix[0].T).toarray().ravel()
    found = []
    for candidate, text_sim in zip(candidates, sims, strict=True):
        if text_sim < MIN_TEXT_SIMILARITY:
            continue
        same_category = probe.category is not None and candidate.category == probe.category
        same_place = (bool(probe.place) and candidate.place == probe.place) or _same_location(
            probe.location, candidate.location
        )
        score = text_sim + CATEGORY_BONUS * same_category + PLACE_BONUS * same_place
        if score >= MIN_SIMILARITY:
            found.append(
                Match(
                    candidate.key,
                    round(min(float(score), 1.0), 3),
                    round(float(text_sim), 3),
                    same_category,
                    same_place,
                )
            )
    found.sort(key=lambda m: -m.similarity)
    return found[:limit]
