"""Hand-replayed conversations (issue 9): every message read for every field, nothing lost.

Through `Desk.handle` on SQLite and PostgreSQL (the `desk` fixture), the filed record read back
through the repository.
"""

from __future__ import annotations

from tests.workflows.test_dialogue import filed, talk
from tests.workflows.test_intake_words import ENGLISH_MAIL, KEIGO_MAIL
from tests.workflows.test_newusers_dialogue import slots
from workflows import Desk

REFUSED = ("選択肢の番号か", "もう少し詳しく", "うまく読み取れません")


def _finish(desk: Desk, user: str, *, title: str = "パンの食品ロス削減") -> list[str]:
    """Answer the rest of the intake plainly, up to filing."""
    turns: list[str] = []
    answers = {
        "contact.email": "sato@komugi.example.jp",
        "content.title": title,
        "content.summary": "売れ残ったパンを夕方に割引で販売し、食品ロスを減らす取り組みです。",
        "content.problem": "商店街での食品ロス",
        "content.activities": "売れ残りパンの割引販売と量の記録",
        "content.municipality_roles": "広報",
        "content.cost_model": "うちで持ちます",
        "consents": "はい、同意します",
    }
    for _ in range(14):
        asking = slots(desk, user)["_progress"].get("asking")
        state_reply = talk(desk, user, [answers.get(asking, "提出する")])[0]
        turns.append(state_reply)
        if "受付番号" in state_reply:
            return turns
    raise AssertionError(turns)


def test_the_bakery_owner_is_understood_in_casual_words(desk: Desk) -> None:
    turns = talk(
        desk,
        "bakery",
        [
            "提案したいです",
            "ベーカリーこむぎっていいます 個人でやってます",
            "佐藤です 電話でいいですか 090-1234-5678",
        ],
    )
    assert not any(word in turn for turn in turns for word in REFUSED)
    assert "団体の種類" not in turns[1]  # 個人でやってます answered it
    assert "お電話番号は承りました" in turns[2] and "メールアドレス" in turns[2]
    state = slots(desk, "bakery")
    assert state["organisation.name"] == "ベーカリーこむぎ"
    assert state["organisation.type"] == "sole_proprietor"
    assert state["contact.name"] == "佐藤"
    assert state["contact.phone"] == "+819012345678"
    _finish(desk, "bakery")
    [proposal] = filed(desk)
    proposer = proposal.record["proposer"]
    assert proposer["organisation_name"] == "ベーカリーこむぎ"
    assert proposer["organisation_type"] == "sole_proprietor"
    assert (proposer["contact_name"], proposer["phone"]) == ("佐藤", "+819012345678")


def test_a_name_and_a_phone_at_the_organisation_question_are_the_contact(desk: Desk) -> None:
    turns = talk(desk, "sato", ["提案したいです", "佐藤です 電話でいいですか 090-1234-5678"])
    assert "担当者名（佐藤）" in turns[1]
    assert turns[1].rstrip().endswith("団体名（会社名）を教えてください。")
    assert not any(word in turns[1] for word in REFUSED)
    state = slots(desk, "sato")
    assert "organisation.name" not in state
    assert (state["contact.name"], state["contact.phone"]) == ("佐藤", "+819012345678")
    turns = talk(desk, "sato", ["ベーカリーこむぎです"])
    assert "ご担当者のお名前" not in turns[0]  # the contact is not asked again


def test_a_title_and_a_name_at_the_organisation_question_are_the_contact(desk: Desk) -> None:
    turns = talk(desk, "tanaka", ["提案したいです", "営業部長田中一郎です", "株式会社テスト"])
    assert "担当者名（田中一郎）" in turns[1]
    state = slots(desk, "tanaka")
    assert state["organisation.name"] == "株式会社テスト"
    assert (state["contact.name"], state["contact.department"]) == ("田中一郎", "営業部")
    assert "メールアドレス" in turns[2]  # the contact is not asked again


def test_an_email_while_the_type_is_asked_is_kept_and_the_menu_asked_again(
    desk: Desk,
) -> None:
    talk(desk, "typed", ["提案したいです", "ひだまり"])
    turns = talk(desk, "typed", ["hidamari@example.jp"])
    assert "選択肢の番号か" not in turns[0]
    assert "メールアドレス（hidamari@example.jp）を承りました" in turns[0]
    assert "団体の種類" in turns[0]
    assert slots(desk, "typed")["_progress"]["misses"] == {}
    turns = talk(desk, "typed", ["1", "鈴木"])
    assert "メールアドレス" not in turns[-1]  # not asked again: the title comes next
    assert "タイトル" in turns[-1]


def test_the_department_is_kept_in_the_record_and_the_read_back(desk: Desk) -> None:
    talk(desk, "dept", ["提案したいです", "株式会社こむぎ", "企画部の鈴木です"])
    turns = _finish(desk, "dept", title="パンの食品ロス削減")
    read_back = next(turn for turn in turns if "提出" in turn and "部署" in turn)
    assert "・部署：企画部" in read_back
    [proposal] = filed(desk)
    assert proposal.record["proposer"]["contact_department"] == "企画部"
    assert proposal.record["proposer"]["contact_name"] == "鈴木"


def test_a_mistyped_domain_is_asked_about_and_the_answer_read_in_words(desk: Desk) -> None:
    talk(desk, "typo", ["提案したいです", "株式会社こむぎ", "鈴木"])
    [asked] = talk(desk, "typo", ["suzuki@gmial.com"])
    assert "「gmail.com」のお間違いではありませんか" in asked
    assert slots(desk, "typo")["contact.email"] == "suzuki@gmial.com"  # not changed silently
    [fixed] = talk(desk, "typo", ["あ、そうです、すみません"])
    assert "suzuki@gmail.com" in fixed and "タイトル" in fixed
    assert slots(desk, "typo")["contact.email"] == "suzuki@gmail.com"


def test_a_domain_that_is_right_as_typed_is_kept_and_not_asked_again(desk: Desk) -> None:
    talk(desk, "kept", ["提案したいです", "株式会社こむぎ", "鈴木", "suzuki@example.con"])
    [kept] = talk(desk, "kept", ["いいえ、合ってます"])
    assert "suzuki@example.con" in kept and "のまま" in kept
    turns = _finish(desk, "kept", title="パンの食品ロス削減")
    assert not any("お間違い" in turn for turn in turns)
    [proposal] = filed(desk)
    assert proposal.record["proposer"]["email"] == "suzuki@example.con"


def test_a_keigo_mail_in_one_go_fills_every_contact_detail(desk: Desk) -> None:
    talk(desk, "keigo", [KEIGO_MAIL])
    state = slots(desk, "keigo")
    assert state["organisation.name"] == "株式会社ヨコハマデータラボ"
    assert state["contact.name"] == "高橋誠"
    assert (state["contact.department"], state["contact.title"]) == ("事業開発部", "部長")
    assert state["contact.phone"] == "+81451234567"
    assert state["organisation.location"] == "神奈川県横浜市中区新港1-2-3"
    [changed] = talk(
        desk, "keigo", ["さっきのメールは間違いで正しくは m.takahashi@yokohama-datalab.co.jp です"]
    )
    assert "m.takahashi@yokohama-datalab.co.jp" in changed
    assert slots(desk, "keigo")["contact.email"] == "m.takahashi@yokohama-datalab.co.jp"


def test_an_english_signature_and_changes_of_mind_in_plain_words(desk: Desk) -> None:
    talk(desk, "en", [ENGLISH_MAIL])
    state = slots(desk, "en")
    assert (state["contact.name"], state["contact.title"]) == ("John Smith", "Partnerships Manager")
    assert state["organisation.name"] == "Acme KK"
    talk(desk, "en", ["Park e-bike pilot"])
    [title] = talk(desk, "en", ["Actually, please change the title to Shared bikes in parks"])
    assert "Shared bikes in parks" in title
    [email] = talk(desk, "en", ["Sorry, my email should be j.smith@acme.example.com"])
    assert "j.smith@acme.example.com" in email
    state = slots(desk, "en")
    assert state["content.title"] == "Shared bikes in parks"
    assert state["contact.email"] == "j.smith@acme.example.com"


def test_full_width_phone_at_the_name_question_is_kept(desk: Desk) -> None:
    talk(desk, "wide", ["提案したいです", "株式会社こむぎ"])
    [reply] = talk(desk, "wide", ["担当：高橋（たかはし） ０９０ー１２３４ー５６７８"])
    assert not any(word in reply for word in REFUSED)
    state = slots(desk, "wide")
    assert (state["contact.name"], state["contact.phone"]) == ("高橋", "+819012345678")


def test_no_email_offers_a_person_and_keeps_the_phone(desk: Desk) -> None:
    talk(desk, "nomail", ["提案したいです", "(株)みなと", "田中です（株式会社みなと 営業部）"])
    [reply] = talk(desk, "nomail", ["メールはないので電話でお願いします 090-1111-2222"])
    assert "担当者がお電話で伺うこともできます" in reply and "担当者と話す" in reply
    state = slots(desk, "nomail")
    assert state["contact.phone"] == "+819011112222"
    assert (state["contact.name"], state["contact.department"]) == ("田中", "営業部")
    assert "contact.name" in state and state["contact.name"] != "メールはないので電話"
    [handed] = talk(desk, "nomail", ["担当者と話す"])
    assert "担当者に引き継ぎました" in handed


def test_an_address_written_against_robots_is_taken(desk: Desk) -> None:
    talk(desk, "robots", ["提案したいです", "株式会社みなと", "田中"])
    [reply] = talk(desk, "robots", ["tanaka[at]minato.example.jp"])
    assert "タイトル" in reply
    assert slots(desk, "robots")["contact.email"] == "tanaka@minato.example.jp"
