"""The notice's text format: what staff may type, and a precise message for each bad line."""

from datetime import date

import pytest
from django.utils import translation

from liaison.workdays.notice import NoticeError, parse_notice


def messages(year, text):
    with pytest.raises(NoticeError) as caught:
        parse_notice(year, text)
    return [(e.line, e.message) for e in caught.value.errors]


def test_the_documented_format():
    holidays = parse_notice(2025, "国庆节、中秋节: 10-01~10-08; 调休上班 09-28, 10-11\n")

    [national_day] = holidays
    assert national_day.name == "国庆节、中秋节"
    assert national_day.days_off[0] == date(2025, 10, 1)
    assert national_day.days_off[-1] == date(2025, 10, 8)
    assert len(national_day.days_off) == 8
    assert national_day.makeup_days == [date(2025, 9, 28), date(2025, 10, 11)]


def test_full_width_punctuation_chinese_dates_and_comments_are_accepted():
    text = (
        "# 国办发明电〔2024〕12号\n\n"
        "劳动节：5月1日至5月5日；调休上班 4月27日\n"
        "清明节: 04-04 ~ 04-06\n"
    )

    labour, qingming = parse_notice(2025, text)

    assert labour.days_off == [date(2025, 5, d) for d in range(1, 6)]
    assert labour.makeup_days == [date(2025, 4, 27)]
    assert qingming.line == 4
    assert qingming.days_off == [date(2025, 4, 4), date(2025, 4, 5), date(2025, 4, 6)]


def test_a_make_up_day_in_the_previous_year_is_written_in_full():
    # The 2012 notice: 元旦 1月1日至3日放假，2011年12月31日（星期六）上班.
    [new_year] = parse_notice(2012, "元旦: 01-01~01-03; 调休上班 2011-12-31")

    assert new_year.makeup_days == [date(2011, 12, 31)]


def test_a_make_up_day_that_is_a_weekday_is_refused():
    with translation.override("en"):
        [(line, message)] = messages(2025, "国庆节: 10-01~10-08; 调休上班 09-29")

    assert line == 1
    assert "2025-09-29" in message and "Monday" in message and "Saturday or a Sunday" in message


def test_every_bad_line_is_reported_with_its_number():
    text = "\n".join(
        [
            "元旦: 01-01",  # fine
            "春节 01-28~02-04",  # no colon
            "清明节: 04-31",  # no such date
            "劳动节: 05-05~05-01",  # reversed
            "端午节: 2023-05-31~2023-06-02",  # another year
            "国庆节: 10-01~11-08",  # too long
            "中秋节: 10-06; 上班 10-11, 13-01",  # bad make-up date
            "春节: 01-01",  # already on line 1
        ]
    )
    with translation.override("en"):
        errors = messages(2025, text)

    assert [line for line, _message in errors] == [2, 3, 4, 5, 6, 7, 8]
    assert "colon" in errors[0][1]
    assert "04-31" in errors[1][1]
    assert "ends before it starts" in errors[2][1]
    assert "2023-05-31 is not in 2025" in errors[3][1]
    assert "longer than 15 days" in errors[4][1]
    assert "13-01" in errors[5][1]
    assert "already listed on line 1" in errors[6][1]


def test_an_empty_notice_is_refused():
    with translation.override("en"):
        errors = messages(2025, "\n# nothing\n")
    assert errors == [(0, "The notice has no holidays: write one line each.")]


def test_the_make_up_days_need_their_keyword():
    [(_line, message)] = messages(2025, "国庆节: 10-01~10-08; 09-28")

    assert "调休上班" in message


def test_messages_are_in_the_users_language():
    with translation.override("zh-hans"):
        [(_line, message)] = messages(2025, "国庆节: 10-01~10-08; 调休上班 09-29")

    assert "星期一" in message
