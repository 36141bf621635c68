import pytest

from corpus.models import Membership
from tests.factories import FAST_PASSWORD_HASHERS, make_corpus, make_user


@pytest.fixture(autouse=True)
def plain_http(settings):
    """Serve the test client and live server over plain HTTP, as `make run` does."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply, in every test (the browser's live server: its conftest)."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture
def corpus(db, analyst):
    """A corpus with the news labels that `analyst` manages (so sees whole)."""
    corpus = make_corpus()
    Membership.objects.create(corpus=corpus, user=analyst, role=Membership.Role.MANAGER)
    return corpus


@pytest.fixture
def analyst(db):
    return make_user("analyst")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Give each test its own MEDIA_ROOT (uploads and exports), removed with its tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
