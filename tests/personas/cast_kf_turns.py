"""Proposers to the Co-creation Front (kyoso-front): what people do besides answering.

Questions mid-intake, changes of mind, going back, proposals the rules must read by meaning.
"""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas.profiles import Facts, Persona, Quirk

KYOSO_TURNS: list[Persona] = [
    Persona(
        id="kf-question-mid-intake",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening="提案したいです",
        facts=Facts(
            organisation="株式会社あおぞらモビリティ",
            organisation_type="company",
            contact="鈴木一郎",
            email="suzuki@aozora-mobility.example.jp",
            title="坂の多い住宅地でのグリーンスローモビリティ実証",
            summary="坂の多い住宅地で、低速の電動カートによる送迎の実証を行います。",
            problem="坂が多く、高齢者が買い物や通院に出かけにくくなっています。",
            activities="電動カートと運転手を用意し、半年間運行します。",
            cost_model="proposer_bears",
            roles=("venue", "permits"),
            summary_key="電動カート",
            problem_key="坂",
            activities_key="運転手",
        ),
        quirks=(Quirk("content.summary", "提案するのに費用はかかりますか？", "answer"),),
        leaks=("費用はかかりますか",),
        note="asks a question of its own mid-intake before answering",
    ),
    Persona(
        id="kf-change-of-mind",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening="高齢者の買い物のことで提案があります",
        facts=Facts(
            organisation="NPO法人おかいものサポート",
            organisation_type="npo",
            contact="田村由美",
            email="tamura@okaimono.example.org",
            title="団地の高齢者の買い物支援バス",
            summary="団地とスーパーを結ぶ買い物バスを週2回走らせます。",
            problem="近くのスーパーが閉店し、団地の高齢者が買い物に困っています。",
            activities="ボランティアの運転でバスを運行し、乗り降りも手伝います。",
            cost_model="no_cost",
            roles=("publicity",),
            summary_key="買い物バス",
            problem_key="スーパーが閉店",
            activities_key="ボランティア",
        ),
        says={"content.title": "タイトルは「団地の買い物支援」です"},
        quirks=(
            Quirk(
                "content.summary",
                "タイトルはやっぱり「団地の高齢者の買い物支援バス」に変えたいです",
                "acknowledged",
            ),
        ),
        leaks=("やっぱり", "変えたい"),
        note="changes the title in plain words",
    ),
    Persona(
        id="kf-food-loss",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening=(
            "NPO法人もったいないキッチンの渡辺です。商店街の飲食店で閉店前に残った食品を、アプリで"
            "近くの住民に割引価格で販売できるようにして、フードロスを減らす取り組みを提案します。"
            "市内で毎日多くの食品が捨てられていることが課題です。アプリの運営と加盟店の募集は私たちが"
            "行います。市には商店街の紹介と広報をお願いしたいです。市の費用負担はありません。"
            "watanabe@mottainai.example.org"
        ),
        facts=Facts(
            organisation="NPO法人もったいないキッチン",
            organisation_type="npo",
            contact="渡辺",
            email="watanabe@mottainai.example.org",
            title="商店街のフードロスを減らすアプリ",
            summary="閉店前に残った食品をアプリで近くの住民に割引価格で販売し、フードロスを減らします。",
            problem="市内で毎日多くの食品が捨てられていることです。",
            activities="アプリの運営と加盟店の募集を行います。",
            cost_model="no_cost",
            roles=("publicity", "introductions"),
            summary_key="フードロス",
            problem_key="捨てられて",
            activities_key="加盟店",
        ),
        note="a genuine food-loss proposal that says 割引 and 販売",
    ),
    Persona(
        id="kf-title-in-brackets",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening=(
            "件名：「商店街の空き店舗で高齢者の居場所づくり」のご提案\n"
            "一般社団法人あおばまちづくりの木村です。商店街の空き店舗を改装して、高齢者が気軽に立ち寄れる"
            "居場所を開きたいと考えています。地域の高齢者が家に閉じこもりがちなことが課題です。"
            "運営は当法人のスタッフとボランティアで行います。市には空き店舗の所有者の紹介をお願いしたいです。"
            "市の費用負担はありません。kimura@aoba-machi.example.jp"
        ),
        facts=Facts(
            organisation="一般社団法人あおばまちづくり",
            organisation_type="association",
            contact="木村",
            email="kimura@aoba-machi.example.jp",
            title="商店街の空き店舗で高齢者の居場所づくり",
            summary="商店街の空き店舗を改装して、高齢者が気軽に立ち寄れる居場所を開きます。",
            problem="地域の高齢者が家に閉じこもりがちなことです。",
            activities="運営は当法人のスタッフとボランティアで行います。",
            cost_model="no_cost",
            roles=("introductions",),
            summary_key="空き店舗",
            problem_key="閉じこもり",
            activities_key="ボランティア",
        ),
        leaks=("件名",),
        note="writes the title in 「」",
    ),
    Persona(
        id="kf-sales-pitch",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        intent="refuse",
        opening=(
            "株式会社クリーンエアの田中です。弊社の新製品の空気清浄機を市の全施設に導入していただきたく、"
            "ご案内いたします。今なら特別価格でご購入いただけます。お見積もりをお送りしますので、ぜひ"
            "ご検討ください。tanaka@cleanair.example.jp"
        ),
        facts=Facts(
            organisation="株式会社クリーンエア",
            organisation_type="company",
            contact="田中",
            email="tanaka@cleanair.example.jp",
            title="空気清浄機の導入",
            summary="空気清浄機を市の全施設に導入していただきたい。",
            problem="特になし",
            activities="空気清浄機を納品します。",
            cost_model="needs_budget",
            summary_key="空気清浄機",
        ),
        note="a real sales pitch: must be refused, naming the rule",
    ),
    Persona(
        id="kf-budget-rework",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening=(
            "株式会社ミナトセンシングの森です。河川の水位をセンサーで測り、大雨のときに住民へ知らせる"
            "実証を提案します。近年の豪雨で浸水の被害が増えていることが課題です。実施には市の予算で委託して"
            "いただく必要があります。会場として河川敷を使わせていただきたいです。mori@minato-sensing.example.jp"
        ),
        facts=Facts(
            organisation="株式会社ミナトセンシング",
            organisation_type="company",
            contact="森",
            email="mori@minato-sensing.example.jp",
            title="河川の水位センサーで大雨を知らせる実証",
            summary="河川の水位をセンサーで測り、大雨のときに住民へ知らせる実証を行います。",
            problem="近年の豪雨で浸水の被害が増えていることです。",
            activities="センサーの設置と通知の運用を当社の費用で行います。",
            cost_model="proposer_bears",
            roles=("venue",),
            summary_key="水位",
            problem_key="浸水",
            activities_key="センサー",
        ),
        says={
            "content.cost_model": "じゃあ、うちで持ちます",
            "restate": "河川の水位をセンサーで測って大雨のときに住民へ知らせる実証を、市への委託ではなく当社の費用で行います。",
        },
        leaks=("予算で委託",),
        note="asks for the city's budget, then reworks it: the record must not ask the city to pay",
    ),
    Persona(
        id="kf-en-slack",
        platform="kyoso-front",
        lang="en",
        style="en",
        opening=(
            "Hi, this is Kenji Ota from Bayside Apps Inc. We propose a Slack workspace where "
            "neighbourhood associations can share notices and event information. Many associations "
            "still circulate paper notices, so young residents rarely see them. We will build and run "
            "the workspace and train volunteers. We would like introductions to the neighbourhood "
            "associations. No cost to the city. kenji@bayside-apps.example.com"
        ),
        facts=Facts(
            organisation="Bayside Apps Inc.",
            organisation_type="company",
            contact="Kenji Ota",
            email="kenji@bayside-apps.example.com",
            title="A Slack workspace for neighbourhood associations",
            summary="A Slack workspace where neighbourhood associations share notices and event information.",
            problem="Many associations still circulate paper notices, so young residents rarely see them.",
            activities="We will build and run the workspace and train volunteers.",
            cost_model="no_cost",
            roles=("introductions",),
            summary_key="Slack workspace",
            problem_key="paper notices",
            activities_key="train volunteers",
        ),
        leaks=("kenji@",),
        note="'propose' is not a publicity request; 'Slack' is not a problem ('lack')",
    ),
    Persona(
        id="kf-go-back",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening="公園の花壇づくりについて提案させてください",
        facts=Facts(
            organisation="NPO法人はなみずき",
            organisation_type="npo",
            contact="西田真理",
            email="nishida@hanamizuki.example.org",
            title="住民と育てる公園の花壇",
            summary="近所の住民と一緒に、公園の花壇に季節の花を植えて育てます。",
            problem="公園の花壇が荒れていて、住民が集まる場になっていません。",
            activities="月に一度の植え付け会と、水やり当番の調整を行います。",
            cost_model="no_cost",
            roles=("venue", "publicity"),
            summary_key="花壇",
            problem_key="荒れて",
            activities_key="植え付け会",
        ),
        says={"contact.email": "nishida@hanamizuki.example.com です"},
        quirks=(Quirk("content.title", "前の質問に戻りたいです", "previous"),),
        note="gives a wrong e-mail, then 「前の質問に戻りたい」 and gives it again",
    ),
    Persona(
        id="kf-not-a-proposal",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        intent="ask",
        opening="市と一緒に何かできないか、提案について相談したいです",
        facts=Facts(
            organisation="",
            organisation_type="other",
            contact="",
            email="",
            title=None,
            summary="",
            problem="",
            activities="",
            cost_model="no_cost",
            summary_key="",
        ),
        says={"question": "提案するのに費用はかかりますか？"},
        quirks=(
            Quirk("*", "いえ、提案ではなく質問です。提案するのに費用はかかりますか？", "answer"),
        ),
        note="「いえ、提案ではなく質問です」: answered from the documents, nothing filed",
    ),
]

# Another organisation sending almost the same proposal: it may hear that a similar proposal
# exists, never the other organisation's reference, title, name or words (issue 9, privacy).
COPYCAT = Persona(
    id="kf-copycat",
    platform="kyoso-front",
    lang="ja",
    style="plain",
    opening=(
        "株式会社フードシェア横浜の佐々木です。商店街の飲食店で閉店前に残った食品を、アプリで"
        "近くの住民に割引価格で販売できるようにして、フードロスを減らす取り組みを提案します。"
        "市内で毎日多くの食品が捨てられていることが課題です。アプリの運営と加盟店の募集は当社が"
        "行います。市には商店街の紹介と広報をお願いしたいです。市の費用負担はありません。"
        "sasaki@foodshare-yokohama.example.jp"
    ),
    facts=Facts(
        organisation="株式会社フードシェア横浜",
        organisation_type="company",
        contact="佐々木",
        email="sasaki@foodshare-yokohama.example.jp",
        title="売れ残り食品のシェアアプリ",
        summary="閉店前に残った食品をアプリで近くの住民に割引価格で販売し、フードロスを減らします。",
        problem="市内で毎日多くの食品が捨てられていることです。",
        activities="アプリの運営と加盟店の募集を行います。",
        cost_model="no_cost",
        roles=("publicity", "introductions"),
        summary_key="フードロス",
        problem_key="捨てられて",
        activities_key="加盟店",
    ),
    note="the same proposal as kf-food-loss from another organisation",
)
