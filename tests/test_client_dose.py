"""The scripted client reads how much a plan asks of a day: an interval is how often, not how long."""

from __future__ import annotations

import pytest

from course.client.engine import _minutes_a_day, assess, frequency_intervals, replay
from course.vignettes import get_vignette


@pytest.mark.parametrize(("text", "minutes"), [
    ("Eat at set times every three to four hours", None),
    ("three meals and snacks, no more than four hours between them", None),
    ("meals three hours apart", None),
    ("about 20 minutes for each meal, every three to four hours", 20 * 4),  # 16 waking hours / 4
    ("10 minutes at three-hour intervals", 10 * 5),
    ("a minute of breathing every half hour", 1 * 32),
    ("2 minutes hourly", 2 * 16),
])
def test_an_interval_is_a_frequency_not_a_duration(text, minutes):
    assert frequency_intervals(text)
    assert _minutes_a_day(text) == minutes


@pytest.mark.parametrize(("text", "minutes"), [
    ("walk for two hours", 120),
    ("an hour every day", 60),
    ("10 minutes twice a day", 20),
    ("three to four hours of revision", 240),
    ("half an hour each evening", 30),
])
def test_a_duration_is_still_read_as_one(text, minutes):
    assert not frequency_intervals(text)
    assert _minutes_a_day(text) == minutes


def test_regular_eating_every_three_to_four_hours_is_not_too_big_for_jess():
    case = get_vignette("jess-regular-eating")
    state, _ = replay(case, [{"move": "options", "text": "eat every three to four hours at planned times"}])
    assert assess(case, state, "", case.key.reference_plan)[1] != "too_big"
    state, _ = replay(case, [{"move": "options", "text": "eat for four hours a day at planned times"}])
    assert assess(case, state, "", None)[1] == "too_big"


def test_a_client_named_with_an_honorific_speaks_under_the_whole_name():
    from course.client.engine import reply, spoken_name

    assert spoken_name("Mrs. Okafor") == "Mrs. Okafor" and spoken_name("Klaus Becker") == "Klaus"
    answer = reply(get_vignette("okafor-video"), [], {"move": "smaller"})
    assert {u.speaker for u in answer.said} == {"Mrs. Okafor"}


@pytest.mark.parametrize(("text", "parts"), [
    ("a tune or two at home, or going along to listen", ["a tune or two at home", "going along to listen"]),
    ("two or three snacks; a walk", ["two or three snacks", "a walk"]),
    ("ten minutes or so\nonce or twice a day", ["ten minutes or so", "once or twice a day"]),
    ("text or ring Tess", ["text", "ring Tess"]),
    ("1. the gate 2. the bench or the shed", ["the gate", "the bench", "the shed"]),
])
def test_an_or_between_amounts_does_not_split_an_option(text, parts):
    from course.client.engine import split_options

    assert split_options(text) == parts
