"""Staff sessions and the sign-in brake, with a clock the test moves (never the wall clock)."""

from __future__ import annotations

from socialvalue.intake.sessions import Sessions, SignInBrake, same_secret


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_ends_after_an_idle_hour() -> None:
    clock = Clock()
    sessions = Sessions(clock=clock)
    session_id, session = sessions.start()
    clock.now += 59 * 60
    assert sessions.find(session_id) is session  # use restarts the idle time
    clock.now += 59 * 60
    assert sessions.find(session_id) is session
    clock.now += 60 * 60 + 1
    assert sessions.find(session_id) is None
    assert len(sessions) == 0


def test_a_session_ends_after_ten_hours_even_in_use() -> None:
    clock = Clock()
    sessions = Sessions(clock=clock)
    session_id, session = sessions.start()
    for _ in range(19):
        clock.now += 30 * 60
        assert sessions.find(session_id) is session  # 9 hours 30 minutes, in use
    clock.now += 31 * 60  # idle only 31 minutes, but 10 hours 1 minute in all
    assert sessions.find(session_id) is None


def test_ids_are_random_unguessable_and_kept_only_as_hashes() -> None:
    sessions = Sessions(clock=Clock())
    first, one = sessions.start()
    second, two = sessions.start()
    assert first != second and one.csrf_token != two.csrf_token
    assert len(first) >= 43  # 32 random bytes
    assert first not in repr(sessions.__dict__)
    assert sessions.find(first + "x") is None and sessions.find("") is None
    sessions.end(first)
    assert sessions.find(first) is None and sessions.find(second) is two


def test_the_oldest_session_goes_when_the_store_is_full() -> None:
    clock = Clock()
    sessions = Sessions(clock=clock, max_sessions=2)
    first, _ = sessions.start()
    clock.now += 1
    second, _ = sessions.start()
    clock.now += 1
    third, _ = sessions.start()
    assert [sessions.find(s) is not None for s in (first, second, third)] == [False, True, True]


def test_the_notice_is_shown_once() -> None:
    _, session = Sessions(clock=Clock()).start()
    session.notice = "SV-P-2345-6789 is now approved."
    assert session.take_notice() == "SV-P-2345-6789 is now approved."
    assert session.take_notice() == ""


def test_the_brake_stops_a_client_after_five_wrong_tokens_for_fifteen_minutes() -> None:
    clock = Clock()
    brake = SignInBrake(clock=clock)
    for _ in range(5):
        assert brake.wait("192.0.2.1") == 0
        brake.failed("192.0.2.1")
        clock.now += 10
    assert brake.wait("192.0.2.1") == 15 * 60 - 50
    assert brake.wait("192.0.2.2") == 0  # another client is not braked
    clock.now += 15 * 60 - 50
    assert brake.wait("192.0.2.1") == 0  # the first failure has left the window


def test_same_secret() -> None:
    assert same_secret("staff-token-0123456789", "staff-token-0123456789")
    assert not same_secret("staff-token-012345678", "staff-token-0123456789")
    assert not same_secret("", "staff-token-0123456789")
    assert not same_secret("stäff", "staff")
