"""The suggesters: importing this package registers each one (see `assist.registry`)."""

from . import anonymous_sources, quotes, speakers  # noqa: F401
