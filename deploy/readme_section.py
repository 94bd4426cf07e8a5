"""A README section generated from the code, between two marker comments (configuration reference, error codes)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploy import catalog

README = catalog.ROOT / "README.md"


@dataclass(frozen=True)
class GeneratedSection:
    """``render()`` gives the section's body; ``start``/``end`` are the markers around it in ``readme``."""

    name: str  # what the markers hold, for the error when they are missing
    start: str
    end: str
    render: Callable[[], str]
    readme: Path = README

    def section(self) -> str:
        return f"{self.start}\n{self.render()}\n{self.end}"

    def current(self) -> str | None:
        text = self.readme.read_text()
        if self.start not in text or self.end not in text:
            return None
        return self.start + text.split(self.start, 1)[1].split(self.end, 1)[0] + self.end

    def write(self) -> bool:
        """Replace the generated section; True when the README changed."""
        text = self.readme.read_text()
        found = self.current()
        if found is None:
            raise SystemExit(f"{self.readme.name} has no {self.name} markers")
        updated = text.replace(found, self.section())
        self.readme.write_text(updated)
        return updated != text

    def main(self, prog: str, description: str, argv: list[str] | None = None) -> int:
        """``--write`` rewrites the section, ``--check`` exits 1 when it is stale, neither prints it."""
        parser = argparse.ArgumentParser(prog=prog, description=description)
        parser.add_argument("--write", action="store_true", help="rewrite the section in README.md")
        parser.add_argument("--check", action="store_true", help="exit 1 when README.md is not current")
        args = parser.parse_args(argv)
        if args.write:
            print("README.md updated" if self.write() else "README.md already current")
            return 0
        if args.check:
            return 0 if self.current() == self.section() else 1
        print(self.section())
        return 0
