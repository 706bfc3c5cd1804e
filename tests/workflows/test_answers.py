"""Answers that answer (issue 10): the sentence first, the citation, 「詳しく」, honest "I don't
know", English over Japanese documents, and questions read in their context."""

from __future__ import annotations

from workflows import Desk, Incoming


def ask(desk: Desk, platform: str, user: str, text: str) -> str:
    return "\n".join(r.fallback_text() for r in desk.handle(Incoming(platform, "web", user, text)))


def test_the_answer_leads_with_the_sentence_then_cites(desk: Desk) -> None:
    reply = ask(desk, "kyoso-front", "a1", "提案内容は公開されますか")
    lead, _, rest = reply.partition("\n")
    assert "非公開" in lead  # the fact asked for comes first
    assert len(lead) <= 120  # a sentence, not a 300-character passage
    assert "出典：よくある質問：提案内容は公開されますか" in rest
    assert "https://sample.madoguchi.invalid/kyoso-front/faq#confidential" in rest
    # The passage only when asked for.
    more = ask(desk, "kyoso-front", "a1", "詳しく")
    assert "検討に関わる職員の間でのみ共有" in more and "出典" in more


def test_the_answer_without_a_question_mark_or_in_casual_words(desk: Desk) -> None:
    reply = ask(desk, "kyoso-front", "a2", "市外の会社でも提案できる")
    if "ご提案ですか、それともご質問ですか" in reply:  # a close call is asked, the text kept
        reply = ask(desk, "kyoso-front", "a2", "質問です")
    assert "市外の事業者からの提案も受け付けています" in reply.split("\n")[0]


def test_more_with_nothing_answered_says_so(desk: Desk) -> None:
    assert "直前の回答がありません" in ask(desk, "kyoso-front", "a3", "もっと詳しく")


def test_what_the_documents_do_not_say_is_not_answered(desk: Desk) -> None:
    # The corpus has 2023-2024 meetings, not the next one: say so, offer a person.
    reply = desk.handle(Incoming("zerocarbon", "web", "u1", "次の定例協議会はいつ開催されますか？"))
    text = "\n".join(r.text for r in reply)
    assert "確かな答えを見つけられませんでした" in text
    assert "2024年" not in text and "出典" not in text
    assert [c.value for c in reply[-1].choices] == ["yes", "no"]
    handed = ask(desk, "zerocarbon", "u1", "はい")
    assert "問い合わせ番号" in handed


def test_a_fee_the_documents_never_mention_is_not_answered(desk: Desk) -> None:
    reply = ask(desk, "zerocarbon", "u2", "年会費はいくらですか")
    assert "確かな答えを見つけられませんでした" in reply and "出典" not in reply


def test_english_question_answered_from_the_english_faq(desk: Desk) -> None:
    reply = ask(desk, "zerocarbon", "e1", "Can we change our participation tier later?")
    assert "switch between the tiers whenever you like" in reply
    assert "Source: FAQ: joining the consortium" in reply


def test_english_question_over_a_japanese_document_quotes_and_says_so(desk: Desk) -> None:
    reply = ask(desk, "kyoso-front", "e2", "Can we use the city's logo?")
    assert "written in Japanese" in reply
    assert "「" in reply and "ロゴ" in reply  # the Japanese sentence, quoted as it is
    assert "Source (in Japanese): よくある質問：市の名義やロゴは使えますか" in reply


def test_a_follow_up_question_is_read_with_the_one_before(desk: Desk) -> None:
    first = ask(desk, "zerocarbon", "f1", "第二回定例協議会には何名参加しましたか")
    assert "26名" in first
    follow = ask(desk, "zerocarbon", "f1", "それはいつですか")
    assert "2023年9月15日" in follow and "出典：定例協議会の記録" in follow


INTAKE = [
    "提案したいです",
    "NPO法人みどりのまち",
    "佐藤花子",
    "hanako@midori.example.org",
    "団地の空き部屋を使った子どもの居場所づくり",
    "団地の空き部屋で放課後の子どもの居場所を週3回開きます。",
    "共働き家庭の子どもが放課後に過ごす場所が足りません。",
    "学生ボランティアと一緒に学習支援と食事を提供します。",
    "2,3",
    "1",
    "はい",
    "1",
]


def test_right_after_filing_how_is_my_proposal_answers_its_status(desk: Desk) -> None:
    replies = [ask(desk, "kyoso-front", "s1", line) for line in INTAKE]
    assert "受付番号" in replies[-1]
    status = ask(desk, "kyoso-front", "s1", "さっき出した提案、どうなってますか？")
    assert "KF-" in status and "団地の空き部屋" in status and "受付" in status
    assert "受付番号を教えてください" not in status


def test_a_sales_proposal_question_is_not_answered_from_business_days(desk: Desk) -> None:
    # Persona finding R12: 営業 matched 営業日 in 「10営業日以内」 and the reply quoted the reply
    # time; the page that answers is the one listing what is not accepted.
    reply = ask(desk, "kyoso-front", "s1", "営業の提案は受け付けてもらえますか")
    assert "出典：受け付けできない提案" in reply
    assert "10営業日" not in reply
