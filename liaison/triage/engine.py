"""The model itself: TF-IDF over hashed jieba words and character bigrams, category and region
tokens, and a linear classifier (SGD, logistic loss) weighted by recency. Plus the neighbours that
give a checkable reason ("相似的 23 件中 19 件由区住建局办结").

Nothing here touches the database; services.py stores and loads `Engine` objects as joblib bytes.
"""

import io
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.utils import murmurhash3_32

from . import text as t

HALF_LIFE_DAYS = 365  # an assignment a year old counts half as much as today's
NEIGHBOURS_KEPT = 10_000  # the most recent training rows kept for the "similar cases" reason
NEIGHBOURS = 25
NEIGHBOUR_MIN_SIMILARITY = 0.2
MIN_SCORE = 0.05


@dataclass
class Suggestion:
    department: int
    score: float
    similar: int = 0  # of the similar past messages…
    handled: int = 0  # …this many went to this department
    keywords: list[str] = field(default_factory=list)


class Engine:
    """A trained model: hasher → tf-idf → SGD; the neighbour matrix (CSC) for reasons."""

    def __init__(self):
        self.hasher = t.hasher()
        self.tfidf = TfidfTransformer(sublinear_tf=True)
        self.classifier = None
        self.neighbours = None  # CSR, l2-normalised rows
        self.neighbour_labels = None
        self.idf = None
        self.samples = 0

    # --- training ------------------------------------------------------------------------------

    def _matrix(self, rows: list[list[str]]):
        return self.hasher.transform(rows)

    def fit(self, samples: list[t.Sample], *, now: datetime | None = None, seed: int = 0):
        if len({s.department for s in samples}) < 2:
            raise ValueError("At least two departments are needed to learn from.")
        counts = self._matrix([t.features(s.text, s.category, s.region_path) for s in samples])
        matrix = self.tfidf.fit_transform(counts).astype(np.float32)
        labels = np.array([s.department for s in samples])
        weights = np.array([_recency(s.when, now) for s in samples])
        self.classifier = SGDClassifier(
            loss="log_loss", alpha=2e-6, max_iter=12, tol=None, random_state=seed
        )
        self.classifier.fit(matrix, labels, sample_weight=weights)
        # float32 halves the stored size; the scores do not need more.
        self.classifier.coef_ = self.classifier.coef_.astype(np.float32)
        order = sorted(range(len(samples)), key=lambda i: _ts(samples[i].when))
        keep = order[-NEIGHBOURS_KEPT:]
        self.neighbours = sparse.csc_matrix(matrix[keep])
        self.idf = self.tfidf.idf_.astype(np.float64)
        self.neighbour_labels = labels[keep]
        self.samples = len(samples)
        return self

    # --- inference -----------------------------------------------------------------------------

    def _vector(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """One message's tf-idf vector as (indices, values), computed as the hasher and the
        transformer would (tested against them) without their per-call overhead: a few
        microseconds instead of milliseconds."""
        counts = Counter(abs(murmurhash3_32(token, seed=0)) % t.N_FEATURES for token in tokens)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = 1 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        values *= self.idf[indices]
        norm = np.sqrt((values**2).sum())
        return indices, (values / norm if norm else values).astype(np.float32)

    def _probabilities(self, indices, values) -> np.ndarray:
        """What SGDClassifier.predict_proba answers (one-vs-rest logistic, normalised)."""
        classifier = self.classifier
        decision = classifier.coef_[:, indices] @ values + classifier.intercept_
        if len(classifier.classes_) == 2:
            positive = 1 / (1 + np.exp(-decision[0]))
            return np.array([1 - positive, positive])
        probabilities = 1 / (1 + np.exp(-decision))
        total = probabilities.sum()
        return probabilities / total if total else np.full_like(probabilities, 1 / len(decision))

    def suggest(
        self, text: str, category, region_path: str, *, allowed=None, limit: int = 3
    ) -> list[Suggestion]:
        """The `limit` most likely departments (ids in `allowed`, when given) for one message;
        empty for an empty or very short text."""
        if t.meaningful_length(text) < t.MIN_CHARS:
            return []
        word_list = t.words(text)
        tokens = word_list + t.bigrams(text) + t.region_tokens(region_path)
        if category is not None:
            tokens += [f"k:{category}", f"k:{category}|{region_path}"]
        indices, values = self._vector(tokens)
        probabilities = self._probabilities(indices, values)
        classes = self.classifier.classes_
        ranked = [
            (int(classes[i]), float(probabilities[i]))
            for i in np.argsort(-probabilities)
            if allowed is None or int(classes[i]) in allowed
        ]
        ranked = [(d, p) for d, p in ranked if p >= MIN_SCORE][:limit]
        if not ranked:
            return []
        similar, handled = self._neighbour_counts(indices, values)
        keywords = self._keywords(word_list, [d for d, _p in ranked])
        return [
            Suggestion(d, round(p, 3), similar, handled.get(d, 0), keywords.get(d, []))
            for d, p in ranked
        ]

    def _neighbour_counts(self, indices, values) -> tuple[int, Counter]:
        if self.neighbours is None or self.neighbours.shape[0] == 0 or not len(indices):
            return 0, Counter()
        # The columns of the message's features only (CSC): a few thousand multiplications.
        sims = self.neighbours[:, indices] @ values
        sims = np.asarray(sims).ravel()
        count = min(NEIGHBOURS, len(sims))
        top = np.argpartition(-sims, count - 1)[:count]
        top = [i for i in top if sims[i] >= NEIGHBOUR_MIN_SIMILARITY]
        return len(top), Counter(int(self.neighbour_labels[i]) for i in top)

    def _keywords(self, word_list: list[str], departments: list[int]) -> dict[int, list[str]]:
        """The message's words that weigh most for each department (two at most)."""
        unique = list(dict.fromkeys(word_list))
        if not unique:
            return {}
        columns = np.array([abs(murmurhash3_32(w, seed=0)) % t.N_FEATURES for w in unique])
        index = {int(c): i for i, c in enumerate(self.classifier.classes_)}
        found = {}
        for department in departments:
            weights = self.classifier.coef_[index[department], columns]
            order = np.argsort(-weights)[:2]
            found[department] = [unique[i] for i in order if weights[i] > 0]
        return found

    # --- storage -------------------------------------------------------------------------------

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def loads(data: bytes) -> "Engine":
        return joblib.load(io.BytesIO(bytes(data)))


def _ts(when: datetime | None) -> float:
    return when.timestamp() if when else 0.0


def _recency(when: datetime | None, now: datetime | None) -> float:
    if when is None or now is None:
        return 1.0
    age = max((now - when).total_seconds() / 86400, 0)
    return math.pow(0.5, age / HALF_LIFE_DAYS)


# --- evaluation ---------------------------------------------------------------------------------


def split(samples: list[t.Sample], held_out: float = 0.2, seed: int = 0):
    """A held-out split, stratified by nothing but chance (seeded): train, test."""
    indices = list(range(len(samples)))
    random.Random(seed).shuffle(indices)
    cut = max(1, int(len(samples) * held_out))
    test = [samples[i] for i in indices[:cut]]
    train = [samples[i] for i in indices[cut:]]
    return train, test


def evaluate(engine: Engine, test: list[t.Sample], category_names=None) -> dict:
    """Top-1 and top-3 accuracy overall and per category, on messages the model did not see.
    A message too short for a suggestion counts as a miss."""
    names = category_names or {}
    per = defaultdict(lambda: [0, 0, 0])  # n, top1, top3
    for sample in test:
        ranked = [
            s.department for s in engine.suggest(sample.text, sample.category, sample.region_path)
        ]
        key = names.get(sample.category, str(sample.category))
        for bucket in (per[key], per["__all__"]):
            bucket[0] += 1
            bucket[1] += bool(ranked) and ranked[0] == sample.department
            bucket[2] += sample.department in ranked
    overall = per.pop("__all__", [0, 0, 0])

    def rates(n, one, three):
        return {
            "n": n,
            "top1": round(one / n, 4) if n else 0.0,
            "top3": round(three / n, 4) if n else 0.0,
        }

    return {
        "overall": rates(*overall),
        "categories": {key: rates(*value) for key, value in sorted(per.items())},
    }
