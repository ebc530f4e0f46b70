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
    """Whether the new model's figures are no worse than the old one's, both measured on the
    same held-out messages (services.train_model)."""
    if not old or "overall" not in old:
        return True
    a, b = new["overall"], old["overall"]
    return a["top1"] >= b["top1"] - TOLERANCE and a["top3"] >= b["top3"] - TOLERANCE


def _fit(samples: list, *, seed: int) -> e.Engine:
    return e.Engine().fit(samples, now=timezone.now(), seed=seed)


def held_out_split(samples: list, previous: TriageModel | None, *, seed: int = 0):
    """train, test, and whether the model in use never saw the test messages.

    Fair when possible: once at least MIN_SAMPLES assignments came after the model in use was
    trained, the held-out messages are those (the newest, at most a fifth of the history), which
    neither the model in use nor the candidate learned from. Otherwise a random fifth, some of
    which the model in use learned: that leans the comparison its way, so a new model then
    replaces it only when clearly better (the figures say how many it had seen)."""
    if previous is not None:
        cut = max(MIN_SAMPLES, int(len(samples) * 0.2))
        newer = sorted(
            (i for i, s in enumerate(samples) if s.when and s.when > previous.trained_at),
            key=lambda i: samples[i].when,
        )
        if len(newer) >= MIN_SAMPLES and len(samples) - min(cut, len(newer)) >= MIN_SAMPLES:
            chosen = set(newer[-cut:])
            test = [samples[i] for i in sorted(chosen)]
            train = [s for i, s in enumerate(samples) if i not in chosen]
            return train, test, True
    train, test = e.split(samples, seed=seed)
    return train, test, False


def _seen_by(previous: TriageModel, test: list) -> int:
    """How many held-out messages are older than the model in use, which may have learned them."""
    return sum(1 for s in test if s.when is None or s.when <= previous.trained_at)


def train_model(*, actor=None, seed: int = 0, force: bool = False, fit=None) -> Outcome:
    """Split the current history, fit a candidate on the training part, and measure it **and
    the model in use** on the same held-out messages (held_out_split): the stored figures of the
    model in use come from another split of another history, so comparing with them would say
    nothing. The new model (then trained on the whole history) goes into use when its held-out
    top-1 and top-3 are each no worse than the in-use model's on that split, less TOLERANCE (or
    with `force`). Both figures are stored in the new row's evaluation (`in_use_on_same_split`).

    `fit(samples, seed=…) -> Engine` replaces the usual recipe (a test's deliberately worse
    model)."""
    fit = fit or _fit
    samples = history()
    if len(samples) < MIN_SAMPLES:
        raise NotEnoughHistory(len(samples))
    previous_row = TriageModel.objects.filter(in_use=True).first()
    previous_engine = engine_in_use() if previous_row else None
    if previous_engine is None:
        previous_row = None
    train, test, unseen = held_out_split(samples, previous_row, seed=seed)
    names = category_names()
    evaluation = e.evaluate(fit(train, seed=seed), test, names)
    evaluation["held_out"] = "newer than the model in use" if unseen else "random 20 %"
    if previous_engine is not None:
        old = e.evaluate(previous_engine, test, names)
        evaluation["in_use_on_same_split"] = {
            "model": previous_row.pk,
            "overall": old["overall"],
            "categories": old["categories"],
            "seen": _seen_by(previous_row, test),
        }
    model = fit(samples, seed=seed)
    blob = model.dumps()
    with transaction.atomic():
        previous = TriageModel.objects.select_for_update().filter(in_use=True).first()
        compared = evaluation.get("in_use_on_same_split")
        if previous and (not compared or compared["model"] != previous.pk):
            # Another training put a model in use meanwhile: not measured here, keep it.
            replaced = force
        else:
            replaced = force or no_worse(evaluation, compared)
        note = ""
        if not replaced:
            note = "worse than the model in use on the same held-out split: kept aside"
        row = TriageModel.objects.create(
            samples=len(samples),
            evaluation=evaluation,
            blob=blob,
            in_use=replaced,
            note=note,
        )
        if replaced and previous:
            previous.in_use = False
            previous.save(update_fields=["in_use"])
        audit.record(
            "triage.trained",
            actor=actor,
            obj=row,
            samples=len(samples),
            top1=evaluation["overall"]["top1"],
            top3=evaluation["overall"]["top3"],
            in_use_top1=compared["overall"]["top1"] if compared else None,
            in_use_top3=compared["overall"]["top3"] if compared else None,
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
