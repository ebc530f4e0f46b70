"""Hooks for the apps that keep deadlines (the case workflow and later ones).

The calendar knows nothing about cases. An app that stores due dates registers

- a recalculator, `func(years: set[int], actor) -> int`: recompute the open deadlines that a
  change to these years can move and return how many changed. It runs after the change is
  committed; it may enqueue a job instead of doing the work at once.
- a source of years in use, `func() -> set[int]`: the years its open deadlines reach, so the
  administrators' banner can name a missing year a provisional deadline waits for.

Register in the app's `AppConfig.ready()`.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

Recalculator = Callable[[set[int], Any], int]
YearsSource = Callable[[], Iterable[int]]

_recalculators: list[Recalculator] = []
_year_sources: list[YearsSource] = []


def register(func: Recalculator) -> Recalculator:
    if func not in _recalculators:
        _recalculators.append(func)
    return func


def unregister(func: Recalculator) -> None:
    if func in _recalculators:
        _recalculators.remove(func)


def register_years_in_use(func: YearsSource) -> YearsSource:
    if func not in _year_sources:
        _year_sources.append(func)
    return func


def unregister_years_in_use(func: YearsSource) -> None:
    if func in _year_sources:
        _year_sources.remove(func)


def run(years: set[int], actor=None) -> int:
    """Call every recalculator; one that fails is logged and does not stop the others."""
    total = 0
    for func in list(_recalculators):
        try:
            total += func(set(years), actor) or 0
        except Exception:
            logger.exception("Recalculating deadlines for %s failed in %r", sorted(years), func)
    return total


def years_in_use() -> set[int]:
    years: set[int] = set()
    for func in list(_year_sources):
        try:
            years.update(func())
        except Exception:
            logger.exception("Asking %r for the years in use failed", func)
    return years
