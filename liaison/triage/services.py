"""Training, evaluating and replacing the triage model (docs/triage.md). Every new model is an
audit event (`triage.trained`), whether it was put in use or kept aside as worse."""

import threading
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from liaison.core import audit
from liaison.directory.models import Category

from . import engine as e
from . import hooks
from .models import TriageModel

# A new model is put in use unless its held-out top-1 and top-3 are worse than the model in use
# by more than this (the same history, resampled, moves by about that much).
TOLERANCE = 0.005
MIN_SAMPLES = 30


class NotEnoughHistory(Exception):
    pass


@dataclass
class Outcome:
    model: TriageModel
    replaced: bool
    previous: TriageModel | None


def history(since=None) -> list:
    """Every sample the apps above feed (hooks.history)."""
    samples = []
    for source in hooks.history.functions():
        samples.extend(source(since))
    return samples


def category_names() -> dict:
    return dict(Category.objects.values_list("id", "name"))


def evaluate_history(samples=None, *, seed: int = 0) -> tuple[dict, int]:
    """Train on 80 % of the history and measure on the other 20 %: the evaluation, the count."""
    samples = history() if samples is None else samples
    if len(samples) < MIN_SAMPLES:
        raise NotEnoughHistory(len(samples))
    train, test = e.split(samples, seed=seed)
    model = e.Engine().fit(train, now=timezone.now(), seed=seed)
    return e.evaluate(model, test, category_names()), len(samples)


def no_worse(new: dict, old: dict | None) -> bool:
    if not old or "overall" not in old:
        return True
    a, b = new["overall"], old["overall"]
    return a["top1"] >= b["top1"] - TOLERANCE and a["top3"] >= b["top3"] - TOLERANCE


def train_model(*, actor=None, seed: int = 0, force: bool = False) -> Outcome:
    """Evaluate on a held-out split, train on the whole history, store the model; put it in use
    when it is no worse than the one in use (or `force`)."""
    samples = history()
    evaluation, count = evaluate_history(samples, seed=seed)
    model = e.Engine().fit(samples, now=timezone.now(), seed=seed)
    blob = model.dumps()
    with transaction.atomic():
        previous = TriageModel.objects.select_for_update().filter(in_use=True).first()
        replaced = force or no_worse(evaluation, previous.evaluation if previous else None)
        row = TriageModel.objects.create(
            samples=count,
            evaluation=evaluation,
            blob=blob,
            in_use=replaced,
            note="" if replaced else "worse than the model in use: kept aside",
        )
        if replaced and previous:
            previous.in_use = False
            previous.save(update_fields=["in_use"])
        audit.record(
            "triage.trained",
            actor=actor,
            obj=row,
            samples=count,
            top1=evaluation["overall"]["top1"],
            top3=evaluation["overall"]["top3"],
            in_use=replaced,
            previous=previous.pk if previous else None,
            size=len(blob),
        )
    return Outcome(row, replaced, previous)


# --- the model in use, loaded once per process and version ------------------------------------

_cache_lock = threading.Lock()
_cache: dict = {}


def engine_in_use() -> e.Engine | None:
    """The model in use (one small query for its id; the bytes are read once per version).

    A version is the row's id and training time: an id alone can come back (SQLite reuses the
    highest id after a rollback, a restored backup has its own rows)."""
    current = TriageModel.objects.filter(in_use=True).values_list("id", "trained_at").first()
    if current is None:
        return None
    cached = _cache.get("engine")
    if cached and cached[0] == current:
        return cached[1]
    with _cache_lock:
        blob = TriageModel.objects.filter(pk=current[0]).values_list("blob", flat=True).first()
        if blob is None:
            return None
        loaded = e.Engine.loads(blob)
        _cache["engine"] = (current, loaded)
    return loaded


def suggest(text: str, category, region_path: str, *, allowed=None, limit: int = 3):
    """The model's suggestions for one message ([] without a model or for a short text)."""
    model = engine_in_use()
    if model is None:
        return []
    return model.suggest(text, category, region_path, allowed=allowed, limit=limit)
