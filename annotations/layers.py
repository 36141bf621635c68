"""The names that pick a layer of spans (`?layer=`, `--layer`): the one place they are defined.

An analyst's layer is picked by their username, so no annotator may be called by one of the
reserved names (`validation.validate_annotator_name`).
"""

ALL_LAYERS = "all"
GOLD_LAYER = "gold"
# Compared ignoring case: "Gold" beside "gold" would read as the same layer to a person.
RESERVED_LAYER_NAMES = frozenset({ALL_LAYERS, GOLD_LAYER})
