"""Change history for writes that send no post_save signal."""

from django.db import models
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model


def record_change(row: models.Model) -> None:
    """Add `row`, as changed, to its change history (if it has one).

    Conditional UPDATEs (the span actions', `progress.start_document`) send no post_save
    signal, which is how the history records saves, so their callers record the change here.
    """
    try:
        history = get_history_manager_for_model(type(row))
    except NotHistoricalModelError:
        return
    history.bulk_history_create([row], update=True)
