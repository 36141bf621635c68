"""The suggesters: importing this package registers each one (see `assist.registry`)."""

from . import actors, figures, propagation  # noqa: F401
