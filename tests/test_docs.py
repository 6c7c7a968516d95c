"""Documentation that must stay true: every setting and every CLI command is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from server import settings
from server.cli import build_parser

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_setting_is_documented() -> None:
    source = Path(settings.__file__).read_text()
    names = set(re.findall(r'config\(\s*"([A-Z_]+)"', source))
    assert names, "no settings found"
    documented = set(re.findall(r"\| `([A-Z_]+)` \|", (DOCS / "settings.md").read_text()))
    assert names - documented == set()
    assert documented - names == set()


def test_every_cli_command_is_documented() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = (DOCS / "cli.md").read_text()
    for name in sub.choices:
        assert f"`meldkamer {name}" in text, name


def test_every_cli_option_is_documented_and_explained() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = (DOCS / "cli.md").read_text()
    for name, command in sub.choices.items():
        for action in command._actions:
            assert action.help, f"meldkamer {name} {action.option_strings or action.dest}"
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in text, f"meldkamer {name} {flag}"


def test_readme_names_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_readme_layout_table_matches_the_packages_of_server() -> None:
    """Every package in server/ has a row saying what it owns, and every row a package."""
    readme = (DOCS.parent / "README.md").read_text()
    listed = set(re.findall(r"^\| `(\w+)/` \|", readme, re.MULTILINE))
    server = DOCS.parent / "server"
    packages = {p.parent.name for p in server.glob("*/__init__.py")}
    assert packages - listed == set(), "packages without a row in the README's layout table"
    assert listed - packages == set(), "rows in the README's layout table without a package"


def test_the_tests_named_in_security_md_exist() -> None:
    # "tests/web/x.py::test_a" names a test; a following "::test_b" is in the same file.
    text = (DOCS / "security.md").read_text()
    named = []
    current = None
    for path, name in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`", text):
        current = path or current
        assert current, name
        named.append((current, name))
    assert len(named) >= 20
    for path, name in named:
        assert f"def {name}(" in (DOCS.parent / path).read_text(), f"{path}::{name}"


def test_the_tests_named_for_sync_and_photo_input_exist() -> None:
    # "file::name" names a test; a following "::name" is another test in the same file.
    text = (DOCS / "security.md").read_text()
    section = text.split("## Sync and photos: what input cannot do")[1].split("\n## ")[0]
    named: list[tuple[str, str]] = []
    current = ""
    for path, name in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`", section):
        current = path or current
        named.append((current, name))
    assert len(named) >= 10
    for path, name in named:
        source = (DOCS.parent / path).read_text()
        assert re.search(rf"^(async )?def {name}\(", source, re.M), f"{path}::{name}"
