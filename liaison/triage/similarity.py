"""相似留言 — which open messages a new one resembles: text similarity plus place and category.

The text part is the cosine of sublinear, l2-normalised hashed counts of character bigrams: they
catch a re-phrasing that shares few whole words, and need no segmentation, so a message is
compared with 1,000 candidates quickly (jieba would take most of a second); each text's vector is
kept in a per-process LRU cache, so a review page compares against cached rows. Same category
adds CATEGORY_BONUS, the same station or the same place (location text) PLACE_BONUS. Candidates come
from the caller (cases: the open cases of the last 90 days in the reviewer's scope).
"""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.utils.translation import gettext
from scipy import sparse
from sklearn.utils import murmurhash3_32

from . import text as t

CATEGORY_BONUS = 0.1
PLACE_BONUS = 0.1
MIN_TEXT_SIMILARITY = 0.14
MIN_SIMILARITY = 0.14


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

    def why(self, same_place: str) -> str:
        """The reason shown beside the match ("similar text (32 %), same category, …"), with
        the caller's words for "the same place" (a station, a region)."""
        reasons = [
            gettext("similar text (%(percent)d%%)") % {"percent": round(self.text_similarity * 100)}
        ]
        if self.same_category:
            reasons.append(gettext("same category"))
        if self.same_place:
            reasons.append(same_place)
        return ", ".join(reasons)


@lru_cache(maxsize=20_000)
def _row(text: str) -> tuple[np.ndarray, np.ndarray]:
    """One text's l2-normalised sublinear bigram counts as (indices, values), as FeatureHasher
    would hash them."""
    counts = Counter(
        abs(murmurhash3_32(token, seed=0)) % t.N_FEATURES for token in t.content_bigrams(text)
    )
    indices = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
    values = 1 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    norm = float(np.sqrt((values**2).sum()))
    return indices, (values / norm if norm else values)


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    rows = [_row(x) for x in texts]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(i) for i, _v in rows])
    indices = np.concatenate([i for i, _v in rows]) if rows else np.zeros(0, np.int32)
    values = np.concatenate([v for _i, v in rows]) if rows else np.zeros(0, np.float32)
    return sparse.csr_matrix((values, indices, indptr), shape=(len(rows), t.N_FEATURES))


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
