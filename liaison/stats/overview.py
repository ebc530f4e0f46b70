"""Everything one statistics page shows, from the sources of one viewer (selectors.Sources):
the messages (figures.py), the stations' and deputies' work (workfigures.py), 三个一 and
coverage (deputies.py), the suggestions (suggestionfigures.py) and the cases open now. The staff
dashboard, the public page and the API all call `compute`."""

from dataclasses import dataclass
from datetime import date

from . import deputies, figures, suggestionfigures, workfigures
from .selectors import Sources

DEPUTIES_BEHIND_SHOWN = 50


@dataclass
class Overview:
    cases: figures.Figures
    open_now: figures.OpenNow
    work: workfigures.WorkFigures
    three_year: int
    three_by_level: list[deputies.LevelRow]
    three_deputies: list  # DeputyYear rows, furthest behind first (staff only)
    coverage: deputies.Coverage | None
    suggestions: suggestionfigures.SuggestionFigures


def compute(sources: Sources, start: date, end: date, *, today: date, public: bool) -> Overview:
    """三个一 is of the year of the period's last day: it is counted per calendar year."""
    return Overview(
        cases=figures.compute(sources.figures, start, end),
        open_now=figures.open_now(sources.cases),
        work=workfigures.compute(sources.work_rows, sources.figures, start, end),
        three_year=end.year,
        three_by_level=deputies.by_level(sources.deputy_years),
        three_deputies=(
            [] if public else deputies.per_deputy(sources.deputy_years, DEPUTIES_BEHIND_SHOWN)
        ),
        coverage=deputies.coverage(sources.coverage_region) if sources.coverage_shown else None,
        suggestions=suggestionfigures.compute(sources.suggestions, start, end, today=today),
    )
