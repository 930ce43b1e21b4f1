"""What validation found: each file's verdict, notes and findings, and the report of a run."""

from __future__ import annotations

from dataclasses import dataclass, field

from tei.validation.schema import UNREADABLE_RULES, Finding

STATUSES = ("valid", "outside-profile", "invalid", "unreadable")
"""What a file can be, best first; ``outside-profile``: valid TEI (tei_all) from another
corpus, which ``--tei-all`` accepts (exit status 0)."""
_SHOWN = {"outside-profile": "valid TEI outside the profile"}

@dataclass(frozen=True, slots=True)
class Distance:
    """How far TEI from another corpus is from the profile: told as a note, not a failure."""

    path: str
    problems: int
    """How many findings the profile gives."""
    first: Finding
    verdict: str = "TEI from another corpus"
    """What is known of it besides: :data:`VALID_TEI` once tei_all has accepted it."""

    @property
    def message(self) -> str:
        """The note without the file's name: the verdict, the count and the first problem."""
        noun = "problem" if self.problems == 1 else "problems"
        where = f"{self.first.line}: " if self.first.line else ""
        return (f"{self.verdict}; outside the project's profile: {self.problems} {noun}, "
                f"first: {where}{self.first.message} [{self.first.rule}]")

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The note as JSON-ready data."""
        return {"path": self.path, "verdict": self.verdict, "problems": self.problems,
                "first": self.first.as_dict()}


@dataclass(slots=True)
class FileResult:
    """The findings of one file, and the notes on it (how far TEI of others is from the profile)."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[Distance] = field(default_factory=list)
    """A file from another corpus, or the members of a corpus that are from other corpora."""
    outside_profile: bool = False
    """True for valid TEI (checked against tei_all) that does not claim the profile."""

    @property
    def status(self) -> str:
        """One of :data:`STATUSES`; ``unreadable``: not read, not well-formed, or unsafe."""
        if any(f.rule in UNREADABLE_RULES for f in self.findings):
            return "unreadable"
        if self.findings:
            return "invalid"
        return "outside-profile" if self.outside_profile else "valid"


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating files and folders: per-file findings and a summary."""

    results: list[FileResult]
    against: str
    """What was checked against, for the summary: ``tei-transcript 1.1.0 and tei_all``."""

    def findings(self) -> list[Finding]:
        """Every finding, file by file."""
        return [finding for result in self.results for finding in result.findings]

    def notes(self) -> list[Distance]:
        """Every note, file by file."""
        return [note for result in self.results for note in result.notes]

    def count(self, status: str) -> int:
        """How many files have ``status``."""
        return sum(1 for result in self.results if result.status == status)

    @property
    def exit_code(self) -> int:
        """0 all valid (or valid TEI outside the profile, with tei_all); 1 some invalid;
        2 some unreadable, or nothing to validate."""
        if not self.results or self.count("unreadable"):
            return 2
        return 1 if self.count("invalid") else 0

    def summary(self) -> str:
        """One line: what was checked and how it went."""
        if not self.results:
            return "No XML files found."
        files = len(self.results)
        problems = len(self.findings())
        counts = ", ".join(f"{self.count(s)} {_SHOWN.get(s, s)}" for s in STATUSES
                           if self.count(s) or s == "valid")
        noun = "file" if files == 1 else "files"
        issues = f"; {problems} problem{'s' if problems != 1 else ''}" if problems else ""
        return f"{files} {noun} checked against {self.against}: {counts}{issues}."

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data: findings, notes, per-file status, counts."""
        return {
            "against": self.against,
            "files": [{"path": r.path, "status": r.status} for r in self.results],
            "findings": [f.as_dict() for f in self.findings()],
            "notes": [n.as_dict() for n in self.notes()],
            "summary": {s: self.count(s) for s in STATUSES},
            "exit_code": self.exit_code,
        }
