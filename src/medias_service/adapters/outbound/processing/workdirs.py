"""Job folders: each job copies its original into a private folder named after the process that owns it, so a
folder a killed worker left behind can be told from one a running job still uses."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

PREFIX = "medias-job-"
_OWNED = re.compile(rf"^{PREFIX}(\d+)-")


def job_folder(parent: str | None) -> Path:
    """The path of a new job folder under ``parent`` (the system's temp folder when None): known before it exists,
    so the process can count it as live before a sweep could see it. Create it with ``make_job_folder``."""
    return Path(parent or tempfile.gettempdir()) / f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex}"


def make_job_folder(folder: Path) -> None:
    """Creates ``folder`` private to this user, failing if it exists (as mkdtemp would). Blocking."""
    folder.mkdir(mode=0o700)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def sweep_job_folders(parent: str | None, live: set[Path], older_than_seconds: float) -> int:
    """Removes job folders untouched for ``older_than_seconds`` whose job is not running: this process's own
    folders that no running job holds (a previous process with the same pid, as after a container restart),
    folders of processes that no longer exist, and folders that name no owner. Blocking; returns how many."""
    root = Path(parent or tempfile.gettempdir())
    cutoff = time.time() - older_than_seconds
    me = os.getpid()
    removed = 0
    for folder in root.glob(f"{PREFIX}*"):
        try:
            if folder in live or not folder.is_dir() or folder.stat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:
            continue
        owner = _OWNED.match(folder.name)
        pid = int(owner.group(1)) if owner else None
        if pid is not None and pid != me and _alive(pid):
            continue  # another worker on this machine is still running, maybe this very job
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
