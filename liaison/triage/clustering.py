"""热点 — hot topics: messages about the same matter, grouped per place and category.

Pure computation (no database): ids and texts in, clusters out. The caller (cases, through
`hooks.hotspot_items`) hands in the last 30 days' messages; `hotspots.py` stores what comes out.

How, and why this way:
- Messages are compared only within one block, (place, category): a county's or a city's
  messages of one category. That is the "place + category" of the issue, and it keeps each
  similarity product small enough for 100 k messages in well under a minute.
- Text: the features of similarity.py (the review screen's near duplicates): content bigrams (CJK
  character pairs without function characters), hashed, sublinear counts, l2-normalised; two
  messages are neighbours when their cosine is at least THRESHOLD. (Weighting by IDF within a
  block was tried: in a small block the words of the matter itself are frequent there and get
  weighed down, and re-phrasings fell apart.)
- Grouping is "star" clustering, not chaining: the message with the most neighbours becomes a
  centre and takes its neighbours that are still free, then the next, and so on. A cluster is
  therefore the messages that resemble one message, never a chain of A~B~C where A and C share
  nothing. Ties are broken by the caller's order (ids), so the result is deterministic.
- Label: the two jieba words that the most members share (in at least two members, so no name or
  one-off detail can become a label), e.g. "电梯、停运".
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.preprocessing import normalize

from . import text as t

THRESHOLD = 0.2  # cosine of the bigram vectors within one (place, category) block
MIN_SIZE = 3  # fewer messages than this are not a hot topic
COMMON_MIN = 100  # a block this large tells which bigrams are filler…
COMMON_SHARE = 0.5  # …those in more than half of its messages
CHUNK = 2000  # rows of the similarity product computed at once (memory stays small)
LABEL_WORDS = 2
LABEL_SAMPLE = 100  # the label is read from at most this many members, spread by id


@dataclass(frozen=True)
class Item:
    """One message as the clustering sees it: no phone, no name, only what it needs."""

    key: int  # the caller's id (a case's primary key)
    text: str
    category: int | None
    place: str  # the block's place: a county's or a city's region path
    station: int | None = None
    supporters: int = 0
    created_at: datetime | None = None


@dataclass
class Cluster:
    place: str
    category: int | None
    keys: list[int]
    label: str = ""
    keywords: list[str] = field(default_factory=list)
    stations: list[int] = field(default_factory=list)
    supporters: int = 0
    size_before: int = 0  # members already there at `before` (a week ago)

    @property
    def size(self) -> int:
        return len(self.keys)


def _matrix(grams: list[list[str]]) -> tuple[sparse.csr_matrix, set[str]]:
    """Sublinear, l2-normalised hashed bigram counts: the vectors similarity.py compares. In a
    block of COMMON_MIN messages or more, a bigram in more than COMMON_SHARE of them says nothing
    about the matter (a greeting, "附近"): it is dropped, and answered as `common`."""
    common: set[str] = set()
    if len(grams) >= COMMON_MIN:
        df = Counter(g for row in grams for g in set(row))
        common = {g for g, n in df.items() if n > COMMON_SHARE * len(grams)}
        if common:
            grams = [[g for g in row if g not in common] for row in grams]
    counts = FeatureHasher(
        n_features=t.N_FEATURES, input_type="string", alternate_sign=False, dtype=np.float32
    ).transform(grams)
    counts.data = 1 + np.log(counts.data)
    return normalize(counts.tocsr()), common


def _neighbours(matrix: sparse.csr_matrix) -> list[np.ndarray]:
    """For each row, the other rows with cosine ≥ THRESHOLD (a sparse product, by chunks)."""
    found = []
    transposed = matrix.T.tocsc()
    for start in range(0, matrix.shape[0], CHUNK):
        product = (matrix[start : start + CHUNK] @ transposed).tocsr()
        product.data[product.data < THRESHOLD] = 0
        product.eliminate_zeros()
        for offset in range(product.shape[0]):
            row = product.indices[product.indptr[offset] : product.indptr[offset + 1]]
            found.append(row[row != start + offset])
    return found


def _stars(neighbours: list[np.ndarray]) -> list[list[int]]:
    """Centres by most neighbours (then by position); each takes its still-free neighbours."""
    order = sorted(range(len(neighbours)), key=lambda i: (-len(neighbours[i]), i))
    taken = np.zeros(len(neighbours), dtype=bool)
    groups = []
    for centre in order:
        if taken[centre] or len(neighbours[centre]) + 1 < MIN_SIZE:
            continue
        free = [int(i) for i in neighbours[centre] if not taken[i]]
        if len(free) + 1 < MIN_SIZE:
            continue
        members = sorted([centre, *free])
        taken[members] = True
        groups.append(members)
    return groups


def label(texts: list[str], common: frozenset | set = frozenset()) -> tuple[str, list[str]]:
    """The words most members share (each counted once per message; in two members at least),
    but no word whose bigrams are all `common` filler of the block."""
    shared = Counter()
    for text in texts:
        shared.update(set(t.words(text)))
    for word in list(shared):
        grams = t.content_bigrams(word)
        if grams and all(g in common for g in grams):
            del shared[word]
    # Equal counts: in the order the words come in the messages ("电梯、停运", not "停运、电梯").
    joined = "\n".join(texts)
    ranked = sorted(
        ((word, n) for word, n in shared.items() if n >= 2),
        key=lambda p: (-p[1], joined.find(p[0]), p[0]),
    )
    keywords = [word for word, _n in ranked[: LABEL_WORDS + 3]]
    return "、".join(keywords[:LABEL_WORDS]), keywords


def cluster(
    items: list[Item], *, before: datetime | None = None, memo: dict | None = None
) -> list[Cluster]:
    """The hot topics among `items`, largest first. `before`: count how many members each had
    by then (the size "a week ago"). `memo` ({key: bigrams}): share the text work between calls
    over the same messages (the county and the city level)."""
    memo = {} if memo is None else memo
    blocks: dict[tuple, list[Item]] = {}
    for item in sorted(items, key=lambda i: i.key):
        if item.key not in memo:
            long_enough = t.meaningful_length(item.text) >= t.MIN_CHARS
            memo[item.key] = t.content_bigrams(item.text) if long_enough else None
        if memo[item.key] is not None:
            blocks.setdefault((item.place, item.category), []).append(item)
    clusters = []
    for (place, category), block in sorted(
        blocks.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
    ):
        if len(block) < MIN_SIZE:
            continue
        # A city of one county has the county's blocks: grouped and labelled once.
        block_id = ("block", tuple(i.key for i in block))
        if block_id not in memo:
            memo[block_id] = done = []
            matrix, common = _matrix([memo[i.key] for i in block])
            for group in _stars(_neighbours(matrix)):
                # A sample spread over the members (by id) is enough for the label: jieba is
                # the slow part of a large topic.
                sample = group[:: max(1, len(group) // LABEL_SAMPLE)][:LABEL_SAMPLE]
                done.append((group, *label([block[i].text for i in sample], common)))
        for group, text_label, keywords in memo[block_id]:
            members = [block[i] for i in group]
            clusters.append(
                Cluster(
                    place=place,
                    category=category,
                    keys=[m.key for m in members],
                    label=text_label,
                    keywords=keywords,
                    stations=sorted({m.station for m in members if m.station is not None}),
                    supporters=sum(m.supporters for m in members),
                    size_before=sum(
                        1
                        for m in members
                        if before is not None and m.created_at is not None and m.created_at < before
                    ),
                )
            )
    clusters.sort(key=lambda c: (-c.size, c.place, c.keys[0]))
    return clusters
