"""``tei-edition serve`` refuses what it cannot serve with one line, before listening."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from tei.cli import cli


def test_a_folder_that_is_not_a_build_is_refused(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>not an edition</p>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", "0"])
    assert result.exit_code == 1
    assert "not an edition made by tei-edition build" in result.output
    assert "run tei-edition build first" in result.output


def test_a_port_in_use_is_refused(edition: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(edition), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_a_missing_build_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "nonesuch")])
    assert result.exit_code == 2 and "does not exist" in result.output
