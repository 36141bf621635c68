"""Refusing symbolic links in the folders and globs an import reads."""

from collections.abc import Iterable
from pathlib import Path

from .records import ImportProblem


def refuse_symlinks(paths: Iterable[Path], *, below: Path) -> None:
    """Raise ImportProblem naming the first symbolic link among `paths`, or among their
    folders below `below`.

    A folder or glob could otherwise import any file a link points at (/etc/passwd). The
    path an operator names is their choice and is followed.
    """
    for path in paths:
        for part in (path, *path.parents):
            if part == below or below not in part.parents:
                break
            if part.is_symlink():
                raise ImportProblem(
                    "refusing a symbolic link: it could point at any file", path=part
                )
