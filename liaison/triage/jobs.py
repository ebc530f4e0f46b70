"""Nightly training (run by `liaison worker`)."""

from datetime import timedelta

from liaison.core import jobs


@jobs.register("triage.train", interval=timedelta(hours=24))
def train() -> str:
    from . import services

    try:
        outcome = services.train_model()
    except services.NotEnoughHistory as short:
        return f"triage model not trained: {short.args[0]} assignments are too few"
    except ValueError as refused:
        return f"triage model not trained: {refused}"
    overall = outcome.model.evaluation["overall"]
    state = "in use" if outcome.replaced else "kept aside (worse than the model in use)"
    compared = outcome.model.evaluation.get("in_use_on_same_split")
    against = ""
    if compared:  # the model in use, on the same held-out messages
        old = compared["overall"]
        against = f" (model in use: {old['top1']:.1%} / {old['top3']:.1%})"
    return (
        f"triage model #{outcome.model.pk} trained on {outcome.model.samples} assignments, "
        f"top-1 {overall['top1']:.1%}, top-3 {overall['top3']:.1%}{against}: {state}"
    )


@jobs.register("triage.hotspots", interval=timedelta(hours=24))
def hotspots() -> str:
    """热点: cluster the last 30 days' messages per county and city (docs/triage.md)."""
    from . import hotspots as found

    outcome = found.compute()
    return (
        f"{outcome.hotspots} hot topics among {outcome.messages} messages "
        f"in {outcome.seconds:.1f} s"
    )
