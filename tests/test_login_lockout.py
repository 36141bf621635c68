"""Repeated wrong passwords lock a username and address pair out of every login (django-axes)."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import get_resolver, path, resolve
from rest_framework.authtoken.views import ObtainAuthToken, obtain_auth_token

from tests.factories import make_user

PASSWORD = "pw-for-tests-only"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]

# A URLconf with DRF's token endpoint, for the test that any token endpoint is locked out too.
urlpatterns = [path("api/token/", obtain_auth_token)]


@pytest.fixture
def staff(db):
    """A user who may log in on both pages (the admin's needs the staff flag)."""
    return make_user("editor", is_staff=True)


def log_in(client, login_path: str, password: str, *, username: str = "editor", **extra):
    return client.post(login_path, {"username": username, "password": password}, **extra)


def fail(client, login_path: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = log_in(client, login_path, "wrong password", **kwargs)
        assert response.status_code in {200, 429}


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("login_path", LOGIN_PAGES)
def test_twelve_failures_then_the_right_password_is_refused(client, staff, login_path):
    fail(client, login_path, 12)
    response = log_in(client, login_path, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.parametrize("login_path", LOGIN_PAGES)
def test_nine_failures_then_the_right_password_logs_in(client, staff, login_path):
    fail(client, login_path, 9)
    assert log_in(client, login_path, PASSWORD).status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize("login_path", LOGIN_PAGES)
def test_the_right_password_works_again_once_the_cool_off_has_passed(client, staff, login_path):
    fail(client, login_path, 12)
    cool_off = settings.AXES_COOLOFF_TIME
    # Move the failures back in time instead of waiting: first to just inside the cool-off...
    last_failure = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=last_failure - cool_off + timedelta(minutes=1))
    assert log_in(client, login_path, PASSWORD).status_code == 429
    # ...then to just past it (the refused attempt above restarted the cool-off).
    last_failure = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=last_failure - cool_off - timedelta(seconds=1))
    assert log_in(client, login_path, PASSWORD).status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("command", "args"), [("axes_reset_username", ["editor"]), ("axes_reset", [])]
)
def test_an_admin_unlocks_a_locked_out_user_with_a_reset_command(client, staff, command, args):
    fail(client, "/accounts/login/", 12)
    call_command(command, *args, stdout=io.StringIO())
    assert log_in(client, "/accounts/login/", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_success_clears_earlier_failures(client, staff):
    fail(client, "/accounts/login/", 9)
    log_in(client, "/accounts/login/", PASSWORD)
    client.logout()
    fail(client, "/accounts/login/", 9)
    assert log_in(client, "/accounts/login/", PASSWORD).status_code == 302


def test_the_lockout_is_per_address_so_others_can_still_log_in(client, staff):
    fail(client, "/accounts/login/", 12, REMOTE_ADDR="203.0.113.7")
    assert (
        log_in(client, "/accounts/login/", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    )
    assert (
        log_in(client, "/accounts/login/", PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302
    )


def test_an_unknown_username_is_locked_out_exactly_like_a_real_one(client, staff):
    fail(client, "/accounts/login/", 12, username="editor")
    fail(client, "/accounts/login/", 12, username="nobody-by-this-name")
    real = log_in(client, "/accounts/login/", "guess", username="editor")
    unknown = log_in(client, "/accounts/login/", "guess", username="nobody-by-this-name")
    assert (real.status_code, real.content) == (unknown.status_code, unknown.content)


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, staff):
    # Without BYLINE_BEHIND_PROXY, the address is the connection's, whatever the headers say.
    for i in range(12):
        log_in(client, "/accounts/login/", "wrong password", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    response = log_in(client, "/accounts/login/", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.1.1")
    assert response.status_code == 429


def test_behind_a_proxy_the_address_it_appended_is_the_one_locked(client, staff, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "config.security.client_ip_behind_proxy"
    for i in range(12):
        # The client may prepend anything; the proxy appends the address it saw.
        forged = f"10.0.0.{i}, 203.0.113.7"
        log_in(client, "/accounts/login/", "wrong password", HTTP_X_FORWARDED_FOR=forged)
    locked = log_in(client, "/accounts/login/", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    other = log_in(client, "/accounts/login/", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


def test_no_route_hands_out_tokens_for_a_password():
    # Tokens are made by an admin (`drf_create_token`). A token endpoint added later is locked
    # out (the next test shows it); this test is a reminder to add it to the tests above.
    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    token_views = [
        view
        for view in views(get_resolver().url_patterns)
        if issubclass(getattr(view, "cls", object), ObtainAuthToken)
    ]
    assert token_views == []


@pytest.mark.urls(__name__)
def test_a_token_endpoint_refuses_the_right_password_after_twelve_failures(client, staff):
    assert resolve("/api/token/").func is obtain_auth_token
    for _ in range(12):
        response = client.post("/api/token/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 400
    # DRF answers its own "unable to log in" (the lockout page needs Django's request object,
    # and DRF wraps it), but the right password gets no token.
    response = client.post("/api/token/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 400
    assert "token" not in response.json()
    call_command("axes_reset", stdout=io.StringIO())
    response = client.post("/api/token/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 200
    assert "token" in response.json()
