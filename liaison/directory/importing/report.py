"""What an import tells its caller: every problem by row and column, and the counts."""

from dataclasses import dataclass, field


@dataclass
class Problem:
    row: int | None  # as the spreadsheet shows it: the header is row 1
    column: str  # the header as written in the file ("" for the whole file)
    message: str


@dataclass
class Report:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def file_problem(self, message: str) -> None:
        self.problems.append(Problem(None, "", message))


class ImportFileError(Exception):
    """The upload as a whole cannot be read: wrong type, damaged, too large."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
