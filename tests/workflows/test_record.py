import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from workflows.calendar import add_business_days, is_business_day
from workflows.record import (
    Proposer,
    corporate_number_is_valid,
    normalise_email,
    normalise_phone,
)


def with_check_digit(base: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(base)))
    return f"{9 - total % 9}{base}"


twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(twelve_digits)
def test_corporate_number_with_its_check_digit_is_valid(base: str) -> None:
    assert corporate_number_is_valid(with_check_digit(base))


@given(twelve_digits, st.integers(min_value=1, max_value=8))
def test_a_wrong_check_digit_is_refused(base: str, shift: int) -> None:
    good = with_check_digit(base)
    wrong = f"{(int(good[0]) + shift) % 10}{base}"
    if wrong != good:
        assert not corporate_number_is_valid(wrong)


def test_known_corporate_numbers() -> None:
    assert corporate_number_is_valid("7000012050002")  # National Tax Agency
    assert not corporate_number_is_valid("700001205000")  # 12 digits
    assert (
        Proposer.model_validate(
            {
                "organisation_name": "x",
                "organisation_type": "company",
                "contact_name": "y",
                "email": "a@b.jp",
                "corporate_number": "７０００-０１２０-５０００２",
            }
        ).corporate_number
        == "7000012050002"
    )
    with pytest.raises(ValidationError, match="check digit"):
        Proposer.model_validate(
            {
                "organisation_name": "x",
                "organisation_type": "company",
                "contact_name": "y",
                "email": "a@b.jp",
                "corporate_number": "8000012050002",
            }
        )


area = st.sampled_from(["3", "45", "466", "4992", "90", "80", "70", "120"])


@given(area, st.integers(min_value=0, max_value=10**9), st.sampled_from(["-", " ", "", "－"]))
def test_phone_numbers_normalise_to_one_form(prefix: str, number: int, sep: str) -> None:
    digits = f"0{prefix}{number:09d}"[: 11 if prefix in ("90", "80", "70", "120") else 10]
    spaced = sep.join([digits[:3], digits[3:6], digits[6:]])
    full_width = spaced.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    expected = "+81" + digits[1:]
    assert normalise_phone(spaced) == normalise_phone(full_width) == expected
    assert normalise_phone(expected) == expected


@given(st.text(alphabet="0123456789-", max_size=8))
def test_short_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        normalise_phone(text)


local = st.from_regex(r"[a-z0-9][a-z0-9._+\-]{0,15}", fullmatch=True).filter(
    lambda s: ".." not in s
)
domain = st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,8}){0,2}\.[a-z]{2,4}", fullmatch=True)


@given(local, domain)
def test_email_round_trip(user: str, host: str) -> None:
    address = f"{user}@{host}"
    assert normalise_email(f"  {user}@{host.upper()} ") == address


@pytest.mark.parametrize("bad", ["", "taro", "taro@", "@example.jp", "taro@example", "a b@c.jp"])
def test_bad_emails(bad: str) -> None:
    with pytest.raises(ValueError):
        normalise_email(bad)


def test_business_days_skip_weekends_holidays_and_year_end() -> None:
    assert add_business_days(dt.date(2026, 12, 25), 3) == dt.date(2027, 1, 5)
    assert add_business_days(dt.date(2026, 4, 28), 2) == dt.date(2026, 5, 1)  # 4/29 Showa Day
    assert add_business_days(dt.date(2026, 11, 22), 10) == dt.date(2026, 12, 7)  # 11/23 holiday
    assert not is_business_day(dt.date(2027, 1, 2)) and not is_business_day(dt.date(2026, 12, 29))
    assert is_business_day(dt.date(2026, 12, 28))


@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(1, 30))
def test_due_date_is_a_business_day_exactly_n_later(start: dt.date, days: int) -> None:
    due = add_business_days(start, days)
    assert is_business_day(due)
    between = [start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(is_business_day(d) for d in between) == days
