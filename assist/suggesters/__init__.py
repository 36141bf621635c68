"""The suggesters: importing this package registers each one (see `assist.registry`)."""

from . import actors, anonymous_sources, figures, propagation, quotes, speakers  # noqa: F401
