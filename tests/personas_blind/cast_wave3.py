"""A third wave of blind personas, written at 21:45 after waves 1 and 2 were fixed: situations
the first two waves did not try (a 件名 line, a corrected organisation name, a phone given out of
turn, a tier described in words, a question before the proposal, everything in one LINE message).
"""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas_blind.model import Aside, Facts, Persona

KENMEI = """件名：商店街の空き店舗で子ども食堂

共創フロント ご担当者様

お世話になります。NPO法人こどもテーブル横浜の理事長、大野と申します。
商店街の空き店舗を借りて、週2回の子ども食堂を開きたいと考えております。
食材は地元の商店から寄付を募り、運営は当法人のボランティアが担います。

大野 千尋
NPO法人こどもテーブル横浜
携帯：080-2222-3333
メール：ohno@kodomo-table.example.org"""

LINE_ALL = (
    "はだの温泉旅館組合です！担当の西村です🙏 旅館のお風呂のボイラーを薪ボイラーにして、"
    "裏山の間伐材を燃料にしたいです🔥 費用は組合でもちます！階層はBでいいです！"
    "メールは nishimura@hadano-onsen.example.jp です"
)

WAVE_THREE: list[Persona] = [
    Persona(
        id="kfb3-kenmei-line",
        platform="kyoso-front",
        lang="ja",
        opening=KENMEI,
        facts=Facts(
            organisation="NPO法人こどもテーブル横浜",
            org_type="npo",
            contact="大野千尋",
            email="ohno@kodomo-table.example.org",
            phone="080-2222-3333",
            title="商店街の空き店舗で子ども食堂",
            cost="proposer_bears",
            summary_key="子ども食堂",
            roles=("introductions", "publicity"),
            leaks=("件名", "理事長", "携帯"),
        ),
        says={
            "summary": "商店街の空き店舗を借りて、週2回の子ども食堂を開きます。",
            "problem": "共働きやひとり親の家庭で、子どもが一人で夕食をとることが増えていることです。",
            "activities": "食材の寄付集めと、当法人のボランティアによる調理と運営を行います。",
            "roles": "空き店舗の持ち主へのご紹介と、学校を通じた周知をお願いしたいです。",
            "cost": "家賃と光熱費は当法人で負担します。",
        },
        stated=("org_name", "org_type", "contact_name", "email", "phone", "title", "summary"),
    ),
    Persona(
        id="zcb3-corrects-org-name",
        platform="zerocarbon",
        lang="ja",
        opening="提案させてください",
        facts=Facts(
            organisation="株式会社秦野エナジーサービス",
            org_type="company",
            contact="小松",
            email="komatsu@hadano-energy.example.jp",
            title="工場の排熱を近くの温水プールへ",
            cost="proposer_bears",
            summary_key="排熱",
            tier="A",
        ),
        says={
            "org_name": "秦野エナジーです",
            "contact_name": "小松です",
            "email": "komatsu@hadano-energy.example.jp",
            "title": "工場の排熱を近くの温水プールへ",
            "summary": "会員工場の排熱を配管で近くの温水プールに送り、ボイラーの燃料を減らしたいです。",
            "activities": "弊社が配管の設計と工事、熱量の計測を担当します。",
            "cost": "工事費は弊社が負担します",
            "tier": "会議にも出ます。Aで。",
        },
        asides=(
            Aside(
                at="summary",
                text="すみません、団体名は正式には「株式会社秦野エナジーサービス」でした",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="kfb3-phone-out-of-turn",
        platform="kyoso-front",
        lang="ja",
        opening="提案します。",
        facts=Facts(
            organisation="合同会社ハマのみち",
            org_type="company",
            contact="青木",
            email="aoki@hama-michi.example.jp",
            phone="090-8765-4321",
            title="坂道の多い地区の乗り合いカート",
            cost="proposer_bears",
            summary_key="カート",
            roles=("venue", "permits"),
        ),
        says={
            "org_name": "合同会社ハマのみちです",
            "contact_name": "青木です",
            "email": "aoki@hama-michi.example.jp",
            "title": "坂道の多い地区の乗り合いカート",
            "summary": "坂道の多い住宅地で、電動カートの乗り合いサービスを半年間試したいです。",
            "problem": "坂が多くてバス停まで歩けない高齢の方が増えていることです。",
            "activities": "弊社がカート2台と運転手を用意し、予約の電話も受け付けます。",
            "roles": "カートの待機場所と、道路の使用についての調整をお願いします。",
            "cost": "カートも運転手も弊社の負担です。",
        },
        asides=(
            Aside(
                at="problem",
                text="あ、電話番号も伝えておきます。090-8765-4321です",
                expect="heeded",
            ),
        ),
    ),
    Persona(
        id="zcb3-en-tier-in-words",
        platform="zerocarbon",
        lang="en",
        opening="Hello, I'd like to propose a joint project on shared solar for our industrial estate.",
        facts=Facts(
            organisation="Soga Industrial Estate Association",
            org_type="association",
            contact="Rachel Kim",
            email="rachel@soga-estate.example.org",
            title="Shared solar for the Soga industrial estate",
            cost="proposer_bears",
            summary_key="solar",
            tier="A",
        ),
        says={
            "org_name": "Soga Industrial Estate Association",
            "org_type": "An association of companies",
            "contact_name": "Rachel Kim",
            "email": "rachel@soga-estate.example.org",
            "title": "Shared solar for the Soga industrial estate",
            "summary": "Member factories on the estate share rooftop solar and a battery through one contract.",
            "activities": "The association runs the tender for installers and manages the shared contract.",
            "cost": "The association and its members pay for the installation.",
            "tier": "We'd like to attend the meetings in person.",
        },
    ),
    Persona(
        id="kfb3-contact-by-role",
        platform="kyoso-front",
        lang="ja",
        opening="お世話になっております。提案を一件お願いいたします。",
        facts=Facts(
            organisation="横浜みなと信用組合",
            org_type="financial",
            contact="小川",
            email="ogawa@minato-shinkumi.example.jp",
            title="創業者向けの空き店舗マッチング",
            cost="no_cost",
            summary_key="空き店舗",
            roles=("data", "introductions"),
        ),
        says={
            "org_name": "横浜みなと信用組合でございます",
            "org_type": "信用組合ですので金融機関です",
            "contact_name": "担当は営業推進部の小川が務めます",
            "email": "ogawa@minato-shinkumi.example.jp",
            "title": "創業者向けの空き店舗マッチング",
            "summary": "創業を考えている方と商店街の空き店舗を、当組合の融資相談とあわせてつなぐ取組です。",
            "problem": "商店街に空き店舗が増える一方、創業者は物件探しに苦労していることです。",
            "activities": "当組合が相談会を開き、物件と資金の両面から創業を支援します。",
            "roles": "空き店舗の情報のご提供と、商店街の皆様へのご紹介をお願いいたします。",
            "cost": "市のご負担はございません。",
        },
    ),
    Persona(
        id="zcb3-line-all-in-one",
        platform="zerocarbon",
        lang="ja",
        opening=LINE_ALL,
        facts=Facts(
            organisation="はだの温泉旅館組合",
            org_type="association",
            contact="西村",
            email="nishimura@hadano-onsen.example.jp",
            title=None,
            cost="proposer_bears",
            summary_key="薪ボイラー",
            tier="B",
        ),
        says={
            "org_type": "旅館の組合なので団体です",
            "summary": "旅館のお風呂のボイラーを薪ボイラーにして、裏山の間伐材を燃料にします",
            "activities": "組合で薪の調達と、各旅館のボイラーの入れ替えを進めます",
            "cost": "費用は組合でもちます",
            "tier": "Bで！",
        },
        stated=("org_name", "contact_name", "email", "summary", "cost", "tier"),
    ),
    Persona(
        id="kfb3-question-first",
        platform="kyoso-front",
        lang="ja",
        opening="共創フロントって、個人事業主でも提案できますか？",
        facts=Facts(
            organisation="さとう農園",
            org_type="sole_proprietor",
            contact="佐藤健",
            email="ken@sato-farm.example.jp",
            title="市民農園で農業体験",
            cost="proposer_bears",
            summary_key="農業体験",
            roles=("venue", "publicity"),
        ),
        says={
            "after_answer": "よかったです。では提案させてください。",
            "org_name": "さとう農園です",
            "org_type": "個人事業主です",
            "contact_name": "佐藤健です",
            "email": "ken@sato-farm.example.jp",
            "title": "市民農園で農業体験",
            "summary": "市民農園の一角で、親子向けの農業体験を毎月開きたいです。",
            "problem": "子どもが土にふれる機会が少なくなっていることです。",
            "activities": "私が指導と道具の準備をして、収穫した野菜は参加者に持ち帰ってもらいます。",
            "roles": "市民農園の区画を使わせてほしいのと、広報をお願いしたいです。",
            "cost": "苗や道具の費用は自分で出します。",
        },
    ),
    Persona(
        id="zcb3-polite-consent",
        platform="zerocarbon",
        lang="ja",
        opening="お世話になります。共同プロジェクトのご提案です。",
        facts=Facts(
            organisation="丹沢エコ建設株式会社",
            org_type="company",
            contact="長谷川",
            email="hasegawa@tanzawa-eco.example.jp",
            title="会員向け断熱改修の勉強会",
            cost="no_cost",
            summary_key="断熱",
            tier="B",
        ),
        says={
            "org_name": "丹沢エコ建設株式会社です",
            "contact_name": "長谷川と申します",
            "email": "hasegawa@tanzawa-eco.example.jp",
            "title": "会員向け断熱改修の勉強会",
            "summary": "会員の事務所や工場の断熱改修について、事例を紹介する勉強会を開きます。",
            "activities": "弊社が講師を務め、改修前後の光熱費の比較資料を用意します。",
            "cost": "参加費は無料で、コンソーシアムや市のご負担もありません。",
            "tier": "WEB視聴でお願いします",
            "consents": "はい、3点とも確認のうえ同意いたしました",
            "confirm": "この内容で問題ありません。提出をお願いします",
        },
    ),
]
