"""Where the apps above feed the triage (docs/design.md, rule 11): triage knows no Case.

    # liaison/cases/triage_feed.py
    @hooks.history.register
    def assignments(since) -> Iterable[Sample]: ...

`history` functions yield the past assignments to learn from; `generator` functions write a
generated history for demos and benchmarks (`liaison triage generate`).
"""

from liaison.core.registry import Hook

history = Hook(
    "triage.history",
    "triage_feed",
    "Functions (since: datetime | None) → iterable of text.Sample: the assignments to learn from.",
)
generator = Hook(
    "triage.generator",
    "triage_feed",
    "Functions (count: int, seed: int) → int: write a generated history, answer how many rows.",
)
hotspot_items = Hook(
    "triage.hotspot_items",
    "triage_hotspots",
    "Functions (since: datetime) → iterable of clustering.Item, `place` the message's region "
    "path: the messages to find hot topics among.",
)
