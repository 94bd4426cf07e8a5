# ruff: noqa: S603 -- runs the mutmut CLI of this environment with fixed arguments and mutant names it printed
"""The kill rate per module of the last `mutmut run`, and the survivors nobody has justified.

Run from the repository root after `mutmut run` (make mutation does both). Reads `mutmut results --all true`,
and `mutmut show` for each survivor. A survivor is justified when mutation/survivors.md has a row naming its
function and its mutated line before and after, so the record survives mutmut renumbering its mutants.

mutmut silently leaves alone every decorated function but @staticmethod/@classmethod ones (a guard marked with a
decorator, a @property): each such function of the mutated files needs a row in survivors.md's "Not mutated"
table too, so a decorator added later cannot take code out of the run unnoticed.

Exit status 1 when a module is under GOAL percent killed, a survivor or an unmutated function is not justified,
or a row justifies a survivor the run no longer has (stale); with --write the table is also saved to
mutation/last-run.txt (the record kept in the repository, like a bench result).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

GOAL = 90.0
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
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


def table_rows() -> list[list[str]]:
    """The cells of every table row of survivors.md (a "|" inside a cell is written "\\|")."""
    if not SURVIVORS_FILE.exists():
        return []
    lines = (line.strip() for line in SURVIVORS_FILE.read_text().splitlines())
    return [[cell.strip().replace("\\|", "|") for cell in CELL.split(line.strip("|"))] for line in lines if line]


def justified_rows() -> set[tuple[str, str, str]]:
    """(function, line before, line after) from the survivors table: | `module` | `function` | `before` | `after` |
    why |. An empty after (``) is a deleted line."""
    return {
        (cells[1].strip("`"), cells[2].strip("`"), cells[3].strip("`"))
        for cells in table_rows()
        if len(cells) >= 5 and all(cell.startswith("`") for cell in cells[1:4])
    }


def not_mutated_rows() -> set[tuple[str, str]]:
    """(module, function) from the "Not mutated" table: | `module` | `function` | why |."""
    return {
        (cells[0].strip("`"), cells[1].strip("`"))
        for cells in table_rows()
        if len(cells) == 3 and all(cell.startswith("`") for cell in cells[:2])
    }


def _trivial(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A body of only a docstring and/or `...` (a Protocol member): nothing to mutate."""
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in function.body)


def unmutated_functions() -> list[tuple[str, str]]:
    """(module, function) of the functions in `only_mutate` files that mutmut skips: decorated by anything but a
    lone @staticmethod or @classmethod, at any depth (a decorated inner function of a guard factory too)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    found = []
    for file in config["only_mutate"]:
        module = file.removeprefix("src/").removesuffix(".py").replace("/", ".")
        tree = ast.parse((ROOT / file).read_text())
        stack: list[tuple[ast.AST, str]] = [(tree, "")]
        while stack:
            node, prefix = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    name = f"{prefix}{child.name}"
                    stack.append((child, f"{name}."))
                    if isinstance(child, ast.ClassDef) or not child.decorator_list or _trivial(child):
                        continue
                    lone = child.decorator_list[0] if len(child.decorator_list) == 1 else None
                    if not (isinstance(lone, ast.Name) and lone.id in ("staticmethod", "classmethod")):
                        found.append((module, name))
                else:
                    stack.append((child, prefix))
    return sorted(set(found))


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
    stale = sorted(justified - {(s.function, s.removed, s.added) for s in survivors})
    skipped = unmutated_functions()
    unexplained = [entry for entry in skipped if entry not in not_mutated_rows()]
    lines.append("")
    lines.append(f"goal: at least {GOAL:.0f}% killed per module; survivors justified in mutation/survivors.md")
    lines.append(
        f"functions mutmut leaves alone (decorated): {len(skipped)}, of which not explained: {len(unexplained)}"
    )
    for module, function in unexplained:
        lines.append(f"  row: | `{module}` | `{function}` | why |")
    lines.append(f"rows justifying a survivor this run does not have (stale, remove them): {len(stale)}")
    for function, before, after in stale:
        lines.append(f"  {function}: `{before}` -> `{after}`")
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
    return 1 if failing or unjustified or unchecked or unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())
