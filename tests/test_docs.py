"""The README documents every CLI command, and every command has help with an example."""

from pathlib import Path

import pytest

from consistency.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_in_readme(name):
    assert f"hinge {name}" in README or f"hinge --db x.db {name}" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_help_has_an_example(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "hinge " in result.output.split("Options:")[0]
