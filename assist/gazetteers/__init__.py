"""Word lists the ACTOR and propagation suggesters read: each module states where it comes from."""


def listing(entries: str) -> frozenset[str]:
    """Return the entries of a `|`-separated list that may run over several lines."""
    return frozenset(entry for entry in entries.replace("\n", "").split("|") if entry)
