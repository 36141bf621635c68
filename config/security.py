"""Helpers the settings and the local-admin command share.

Nothing here imports Django models, so settings.py can import it while it is being loaded.
"""

import os
from pathlib import Path


def write_private_file(path: Path, text: str) -> None:
    """Create `path` readable and writable by its owner only, holding `text`.

    The mode is given when the file is created, so the secret is never readable by others,
    not even between a write and a chmod; the umask can only narrow it. The file must not
    exist yet (FileExistsError otherwise): a secret is made once, never overwritten.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)
