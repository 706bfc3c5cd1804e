"""Proposers to the Co-creation Front (kyoso-front): the ways people write their answers."""

# ruff: noqa: E501 - a persona's words read better whole than wrapped

from __future__ import annotations

from tests.personas.profiles import Facts, Persona

KEIGO_MAIL = """横浜市 政策局 共創推進課 ご担当者様

いつもお世話になっております。株式会社ヨコハマデータラボの高橋と申します。
市内の保育所や子育て支援施設の情報をオープンデータとして地図にまとめ、保護者がスマートフォンで空き状況を確かめられるサービスの実証をご提案いたします。
施設の情報が分散しており、保護者が施設を探すのに時間がかかることが地域の課題と考えております。
市には施設データの提供と、広報へのご協力をお願いできればと存じます。市の費用負担はございません。
何卒よろしくお願いいたします。

――――――――――
株式会社ヨコハマデータラボ
事業開発部 部長
高橋 健一
TEL：045-222-3333
Mail：takahashi@yokohama-datalab.example.jp
――――――――――"""

EN_MAIL = """Dear Co-creation Front team,

I hope this finds you well. I am writing on behalf of Harbour Labs K.K.
We would like to run a pilot of solar-powered charging benches in station squares, so that residents can charge their phones during power cuts.
Blackouts after storms leave many residents without a way to charge their phones.
We will install and maintain ten benches for one year.
From the city we would need a test field and help with permits. There is no cost to the city.

Best regards,
Jane Doe
Partnerships Manager, Harbour Labs K.K.
Tel: 03-5555-1234
jane.doe@harbour-labs.example.com"""

KYOSO_STYLES: list[Persona] = [
    Persona(
        id="kf-keigo-signature",
        platform="kyoso-front",
        lang="ja",
        style="keigo",
        opening=KEIGO_MAIL,
        facts=Facts(
            organisation="株式会社ヨコハマデータラボ",
            organisation_type="company",
            contact="高橋健一",
            email="takahashi@yokohama-datalab.example.jp",
            phone="045-222-3333",
            title="子育て施設オープンデータマップの実証",
            summary="保育所や子育て支援施設の情報をオープンデータとして地図にまとめ、空き状況を確かめられるサービスを実証します。",
            problem="施設の情報が分散しており、保護者が施設を探すのに時間がかかることです。",
            activities="施設の情報をオープンデータとして地図にまとめ、アプリを運営いたします。",
            cost_model="no_cost",
            roles=("publicity", "data"),
            summary_key="オープンデータ",
            problem_key="分散",
            activities_key="地図",
        ),
        says={
            "content.title": "件名は「子育て施設オープンデータマップの実証」でお願いいたします。"
        },
        leaks=("お世話になっております", "ご担当者様", "事業開発部", "TEL", "何卒", "Mail"),
        note="keigo e-mail with a signature block (phone and full name only in the signature)",
    ),
    Persona(
        id="kf-plain-sentences",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening="提案したいです",
        facts=Facts(
            organisation="みどりのまち",
            organisation_type="npo",
            contact="佐藤花子",
            email="sato@example.jp",
            title="団地の空き部屋で子どもの居場所づくり",
            summary="団地の空き部屋で、放課後の子どもの居場所を週3回開きます。",
            problem="共働き家庭の子どもが放課後に過ごす場所が足りません。",
            activities="学生ボランティアと一緒に学習支援と食事の提供をします。",
            cost_model="proposer_bears",
            roles=("venue", "publicity"),
            summary_key="居場所",
            problem_key="共働き",
            activities_key="学生ボランティア",
        ),
        says={
            "organisation.type": "NPO法人です",
            "contact.name": "佐藤花子と申します",
            "content.cost_model": "じゃあ、うちで持ちます",
        },
        note="answers in full sentences: 「NPO法人です」「メールは … でお願いします」「じゃあ、うちで持ちます」",
    ),
    Persona(
        id="kf-casual-emoji",
        platform="kyoso-front",
        lang="ja",
        style="casual",
        opening="こんにちは！商店街でマルシェをやりたくて、提案してみたいです😊",
        facts=Facts(
            organisation="カフェ・ミナト",
            organisation_type="sole_proprietor",
            contact="小林あや",
            email="aya@cafe-minato.example.jp",
            title="商店街のマルシェで地域をつなぐ",
            summary="月に一度、商店街の通りで地元の農家とお店が集まるマルシェを開きます。",
            problem="商店街に人が来なくなって、空き店舗が増えています。",
            activities="出店者を集めて、当日の運営と片付けをやります。",
            cost_model="no_cost",
            roles=("publicity", "permits"),
            summary_key="マルシェ",
            problem_key="空き店舗",
            activities_key="出店者",
        ),
        says={
            "organisation.type": "個人事業主です！",
            "content.cost_model": "市の負担はゼロで大丈夫です👍",
            "content.municipality_roles": "広報と、道路を使う許可の調整をお願いしたいです🙏",
            "consents": "はい、同意します🙆‍♀️",
        },
        note="casual with emoji",
    ),
    Persona(
        id="kf-two-facts",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening="地域の見守りについて提案があります。",
        facts=Facts(
            organisation="一般社団法人みまもりネット",
            organisation_type="association",
            contact="伊藤誠",
            email="ito@mimamori.example.jp",
            phone="090-1234-5678",
            title="新聞販売店と連携した高齢者の見守り",
            summary="新聞配達のときに高齢者の様子を確かめ、異変があれば家族に知らせる見守りを行います。",
            problem="一人暮らしの高齢者の孤立が進んでいます。",
            activities="配達員に見守りの研修を行い、連絡の手順を整えます。",
            cost_model="no_cost",
            roles=("introductions",),
            summary_key="見守り",
            problem_key="孤立",
            activities_key="研修",
        ),
        says={"contact.email": "メールは ito@mimamori.example.jp、電話は 090-1234-5678 です"},
        note="gives the e-mail and the phone in one answer",
    ),
    Persona(
        id="kf-en-university",
        platform="kyoso-front",
        lang="en",
        style="en",
        opening="Hello, I'd like to make a proposal.",
        facts=Facts(
            organisation="Kanagawa Institute of Science",
            organisation_type="university",
            contact="Emily Carter",
            email="e.carter@kis.example.ac.jp",
            title="Heat-stress sensors in school playgrounds",
            summary="We will place heat-stress sensors in school playgrounds and share alerts with teachers.",
            problem="Children suffer heat stroke during outdoor classes in summer.",
            activities="Our lab will install the sensors, analyse the data and run the alert service.",
            cost_model="proposer_bears",
            roles=("venue", "data"),
            summary_key="heat-stress sensors",
            problem_key="heat stroke",
            activities_key="install the sensors",
        ),
        says={
            "organisation.type": "A university",
            "contact.name": "Emily Carter",
            "content.cost_model": "We cover all the costs ourselves",
        },
        note="English speaker: 'A university', 'We cover all the costs ourselves', 'File it'",
    ),
    Persona(
        id="kf-org-with-no",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening=(
            "株式会社よこはまの森の山本です。間伐材で作った木のおもちゃを保育園に届けて、子どもたちに森の"
            "大切さを伝える取り組みを提案します。市内の森の手入れが進まないことが課題です。おもちゃの製作と"
            "出前授業は当社が行います。市には保育園の紹介をお願いしたいです。市の費用負担はありません。"
        ),
        facts=Facts(
            organisation="株式会社よこはまの森",
            organisation_type="company",
            contact="山本",
            email="yamamoto@yokohama-mori.example.jp",
            title=None,
            summary="間伐材で作った木のおもちゃを保育園に届けて、森の大切さを伝えます。",
            problem="市内の森の手入れが進まないことです。",
            activities="おもちゃの製作と出前授業を当社が行います。",
            cost_model="no_cost",
            roles=("introductions",),
            summary_key="間伐材",
            problem_key="手入れ",
            activities_key="出前授業",
        ),
        says={"content.title": "まだ決めていません。おまかせします"},
        note="an organisation name with の in it (「株式会社よこはまの森」); no title in mind",
    ),
    Persona(
        id="kf-org-and-contact",
        platform="kyoso-front",
        lang="ja",
        style="plain",
        opening="提案をしたいのですが",
        facts=Facts(
            organisation="株式会社ハマテック",
            organisation_type="company",
            contact="中村",
            email="nakamura@hamatech.example.jp",
            title="AIカメラによる駐輪場の混雑の見える化",
            summary="駅前の駐輪場にAIカメラを置き、空き状況をスマートフォンで見られるようにします。",
            problem="駅前の駐輪場が混雑し、歩道への放置自転車が増えています。",
            activities="カメラの設置と空き状況の配信を当社が行います。",
            cost_model="no_cost",
            roles=("venue", "data"),
            summary_key="AIカメラ",
            problem_key="放置自転車",
            activities_key="配信",
        ),
        says={"organisation.name": "株式会社ハマテックです。担当は中村と申します"},
        note="answers the organisation question with the contact too",
    ),
    Persona(
        id="kf-bare-numbers",
        platform="kyoso-front",
        lang="ja",
        style="bare",
        opening="提案したいです",
        facts=Facts(
            organisation="NPO法人さくらキッズ",
            organisation_type="npo",
            contact="山田花子",
            email="hanako@sakura-kids.example.org",
            title="公園での外遊びプレーパーク",
            summary="週末に公園でプレーパークを開き、子どもが自由に外遊びできる場をつくります。",
            problem="子どもが外で遊ぶ機会が減っています。",
            activities="プレーリーダーを置いて安全を見守ります。",
            cost_model="no_cost",
            roles=("venue", "publicity"),
            summary_key="プレーパーク",
            problem_key="外で遊ぶ",
            activities_key="プレーリーダー",
        ),
        note="the baseline: bare values and choice numbers",
    ),
    Persona(
        id="kf-en-signature",
        platform="kyoso-front",
        lang="en",
        style="en",
        opening=EN_MAIL,
        facts=Facts(
            organisation="Harbour Labs K.K.",
            organisation_type="company",
            contact="Jane Doe",
            email="jane.doe@harbour-labs.example.com",
            phone="03-5555-1234",
            title="Solar charging benches in station squares",
            summary="A pilot of solar-powered charging benches in station squares for power cuts.",
            problem="Blackouts after storms leave residents without a way to charge their phones.",
            activities="We will install and maintain ten benches for one year.",
            cost_model="no_cost",
            roles=("venue", "permits"),
            summary_key="charging benches",
            problem_key="Blackouts",
            activities_key="ten benches",
        ),
        leaks=("Dear", "Best regards", "Partnerships Manager", "Tel:", "I hope this finds you"),
        note="an English e-mail with a signature",
    ),
]
