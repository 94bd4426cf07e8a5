# ruff: noqa: S603 -- runs the mutmut CLI of this environment with fixed arguments and mutant names it printed
"""The kill rate per module of the last `mutmut run`, and the survivors nobody has justified.

Run from the repository root after `mutmut run` (make mutation does both). Reads `mutmut results --all true`,
and `mutmut show` for each survivor. A survivor is justified when mutation/survivors.md has a row naming its
function and its mutated line before and after, so the record survives mutmut renumbering its mutants.

Exit status 1 when a module is under GOAL percent killed or a survivor is not justified; with --write the table
is also saved to mutation/last-run.txt (the record kept in the repository, like a bench result).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

GOAL = 90.0
HERE = Path(__file__).resolve().parent
SURVIVORS_FILE = HERE / "survivors.md"
LAST_RUN_FILE = HERE / "last-run.txt"
MUTMUT = [sys.executable, "-m", "mutmut"]
JOBS = os.environ.get("JOBS", "2")
# timeouts count as killed (a mutant that hangs the tests fails any CI run); "no tests" counts as survived
KILLED = {"killed", "timeout", "caught by type check"}
CELL = re.compile(r"(?<!\\)\|")  # table cells; a "|" inside a cell is written "\|"
NAME = re.compile(r"^(?P<module>.+?)\.x(?P<function>[_ǁ].+)__mutmut_\d+$")


@dataclass(frozen=True)
class Survivor:
    name: str
    module: str
    function: str
    status: str
    removed: str
    added: str


def results() -> dict[str, str]:
    out = subprocess.run([*MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    statuses: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and NAME.match(name):
            statuses[name] = status
    return statuses


def changed_lines(name: str) -> tuple[str, str]:
    """The mutated line before and after, from `mutmut show` (first "-" and "+" lines of its diff)."""
    diff = subprocess.run([*MUTMUT, "show", name], capture_output=True, text=True, check=False).stdout  # exits 1
    removed = next(
        (line[1:].strip() for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")), ""
    )
    added = next(
        (line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")), ""
    )
    return removed, added


def justified_rows() -> set[tuple[str, str, str]]:
    """(function, line before, line after) from the survivors table: | `module` | `function` | `before` | `after` |
    why |. An empty after (``) is a deleted line."""
    rows: set[tuple[str, str, str]] = set()
    if not SURVIVORS_FILE.exists():
        return rows
    for line in SURVIVORS_FILE.read_text().splitlines():
        cells = [cell.strip().replace("\\|", "|") for cell in CELL.split(line.strip().strip("|"))]
        if len(cells) >= 5 and all(cell.startswith("`") for cell in cells[1:4]):
            rows.add((cells[1].strip("`"), cells[2].strip("`"), cells[3].strip("`")))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="save the table to mutation/last-run.txt")
    parser.add_argument("--seconds", type=int, help="the run's wall time, recorded with the table")
    args = parser.parse_args()

    statuses = results()
    if not statuses:
        print("no mutmut results: run `make mutation` (or `mutmut run`) first")
        return 1
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[Survivor] = []
    for name, status in sorted(statuses.items()):
        match = NAME.match(name)
        assert match is not None
        by_module[match["module"]][status] += 1
        if status not in KILLED and status not in ("skipped", "not checked"):
            function = match["function"][1:].replace("ǁ", ".").strip(".")  # x_f -> f, xǁCǁm -> C.m
            survivors.append(Survivor(name, match["module"], function, status, *changed_lines(name)))

    lines = [f"{'module':<52} {'mutants':>7} {'killed':>7} {'survived':>8} {'kill rate':>9}"]
    failing = []
    for module, counts in sorted(by_module.items()):
        total = sum(count for status, count in counts.items() if status != "skipped")
        killed = sum(counts[status] for status in KILLED)
        rate = 100.0 * killed / total if total else 100.0
        if rate < GOAL:
            failing.append(module)
        lines.append(f"{module:<52} {total:>7} {killed:>7} {total - killed:>8} {rate:>8.1f}%")
    unchecked = sum(counts["not checked"] for counts in by_module.values())
    if unchecked:
        lines.append(f"\nthe run is incomplete: {unchecked} mutants not checked (they count as survived)")
    justified = justified_rows()
    unjustified = [s for s in survivors if (s.function, s.removed, s.added) not in justified]
    lines.append("")
    lines.append(f"goal: at least {GOAL:.0f}% killed per module; survivors justified in mutation/survivors.md")
    lines.append(f"survivors: {len(survivors)}, of which not justified: {len(unjustified)}")
    for survivor in unjustified:
        lines.append(f"  {survivor.name} [{survivor.status}]")
        lines.append(f"    - {survivor.removed}")
        lines.append(f"    + {survivor.added}")
        before, after = (line.replace("|", "\\|") for line in (survivor.removed, survivor.added))
        lines.append(f"    row: | `{survivor.module}` | `{survivor.function}` | `{before}` | `{after}` | why |")
    report = "\n".join(lines)
    print(report)
    if args.write:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        took = f", {args.seconds // 60} min {args.seconds % 60} s" if args.seconds is not None else ""
        LAST_RUN_FILE.write_text(f"make mutation, {stamp}{took} (nice -n 10, {JOBS} workers)\n\n{report}\n")
    if failing:
        print(f"\nunder {GOAL:.0f}%: {', '.join(failing)}")
    return 1 if failing or unjustified or unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
