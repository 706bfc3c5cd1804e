"""Each platform's text format decoded at the edge: what people type, as the platform sends it."""

from __future__ import annotations

import time

import pytest

from bot.channels.line import quick_label
from bot.channels.markup import line_text, slack_text, telegram_text

# (what the person typed, what Slack delivers, what the desk must read)
SLACK = [
    (
        "an e-mail, auto-linked",
        "<mailto:hanako@example.jp|hanako@example.jp>",
        "hanako@example.jp",
    ),
    (
        "an e-mail in a sentence",
        "メールは <mailto:sato@minato.example.jp|sato@minato.example.jp> でお願いします🙏",
        "メールは sato@minato.example.jp でお願いします🙏",
    ),
    ("a company name with &", "R&amp;D合同会社みなと", "R&D合同会社みなと"),
    ("angle brackets", "子ども食堂&lt;実証&gt;の提案", "子ども食堂<実証>の提案"),
    ("an entity typed by the person", "&amp;lt; は不等号です", "&lt; は不等号です"),
    (
        "a bare link",
        "資料 <https://minato.example.jp/plan.pdf>",
        "資料 https://minato.example.jp/plan.pdf",
    ),
    (
        "a named link keeps its address",
        "<https://minato.example.jp/plan?a=1&amp;b=2|企画書>をご覧ください",
        "企画書 (https://minato.example.jp/plan?a=1&b=2)をご覧ください",
    ),
    (
        "a link Slack shortened",
        "<http://minato.example.jp|minato.example.jp>",
        "http://minato.example.jp",
    ),
    ("the desk mentioned first", "<@UBOT> 提案したいです", "提案したいです"),
    ("someone else mentioned", "<@U024BE7LH|hanako> さんと一緒です", "@hanako さんと一緒です"),
    ("a bare user mention", "<@U024BE7LH> さんと", "@U024BE7LH さんと"),
    ("a channel", "<#C024BE7LR|general> で見ました", "#general で見ました"),
    ("@here", "<!here> お知らせ", "@here お知らせ"),
    ("a user group", "<!subteam^SAZ94GDB8|@dept> へ", "@dept へ"),
    ("a date", "<!date^1392734382^{date}|2014年2月18日> まで", "2014年2月18日 まで"),
    ("a phone link", "<tel:045-222-3333|045-222-3333>", "045-222-3333"),
    ("plain text stays", "参加の階層は変更できますか？", "参加の階層は変更できますか？"),
    ("a lone < the person typed", "a &lt; b かつ c &gt; d", "a < b かつ c > d"),
]


@pytest.mark.parametrize(("typed", "delivered", "plain"), SLACK, ids=[c[0] for c in SLACK])
def test_slack_text_is_plain(typed: str, delivered: str, plain: str) -> None:
    assert slack_text(delivered, bot_user="UBOT") == plain


def test_slack_decoding_is_linear_on_hostile_text() -> None:
    hostile = "<" * 50_000 + "|" * 50_000 + "&amp" * 20_000 + "<@" * 20_000
    started = time.perf_counter()
    slack_text(hostile)
    assert time.perf_counter() - started < 1.0


LINE = [
    # (text, mentionees, plain): UTF-16 ranges, as LINE counts them
    (
        "@窓口 提案したいです",
        [{"index": 0, "length": 3, "type": "user", "isSelf": True}],
        "提案したいです",
    ),
    (
        "😀@Madoguchi 相談です",  # an astral emoji before the mention: two UTF-16 units
        [{"index": 2, "length": 10, "type": "user", "isSelf": True}],
        "😀 相談です",
    ),
    (
        "@花子 さんと @窓口",
        [{"index": 0, "length": 3, "type": "user", "isSelf": False}],
        "@花子 さんと @窓口",
    ),
    ("@All おはよう", [{"index": 0, "length": 4, "type": "all"}], "@All おはよう"),
    ("壊れた範囲", [{"index": 90, "length": 3, "isSelf": True}], "壊れた範囲"),
]


@pytest.mark.parametrize(("text", "mentionees", "plain"), LINE)
def test_line_mention_of_the_desk_is_removed(
    text: str, mentionees: list[dict[str, object]], plain: str
) -> None:
    assert line_text(text, {"mentionees": mentionees}) == plain


def test_telegram_hidden_link_is_shown() -> None:
    entities = [{"type": "text_link", "offset": 3, "length": 2, "url": "https://minato.example.jp"}]
    assert telegram_text("🙏 資料です", entities) == "🙏 資料 (https://minato.example.jp)です"
    assert telegram_text("資料です", [{"type": "bold", "offset": 0, "length": 2}]) == "資料です"


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Check a proposal's status", "Check a proposal's…"),
        ("Ask about membership or support", "Ask about…"),
        ("University or research institute", "University or…"),
        ("Talk to staff", "Talk to staff"),
        ("会員制度・支援について質問する", "会員制度・支援について質問する"),
        (
            "市の予算が必要かどうか分からないので相談したい",
            "市の予算が必要かどうか分からないので相…",
        ),
    ],
)
def test_line_quick_reply_labels_end_on_a_word(label: str, shown: str) -> None:
    assert quick_label(label) == shown
    assert len(quick_label(label)) <= 20
