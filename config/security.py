"""Helpers the settings and the local-admin command share: private files and the client address.

Nothing here imports Django models, so settings.py can import it while it is being loaded.
"""

import os
from pathlib import Path

from django.http import HttpRequest


def write_private_file(path: Path, text: str) -> None:
    """Create `path` readable and writable by its owner only, holding `text`.

    The mode is given when the file is created, so the secret is never readable by others,
    not even between a write and a chmod; the umask can only narrow it. The file must not
    exist yet (FileExistsError otherwise): a secret is made once, never overwritten.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """Return the client address that the reverse proxy in front appended to X-Forwarded-For.

    Only the right-most entry is the proxy's own observation; entries to its left are
    whatever the client sent and could be forged. Without the header (a request that did not
    come through the proxy), fall back to the connection's address.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    return addresses[-1] if addresses else request.META.get("REMOTE_ADDR")
