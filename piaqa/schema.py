"""The canonical form schema: one catalogue of the standard items of a 特定個人情報保護評価書.

Each entry has a stable key, the Japanese label variants printed on the forms (全項目 and 重点項目
number the same item differently: 委託先名 is ⑥ in one and ③ in the other, so labels are matched
without their numbers), the Japanese words people use for it in questions, and English terms.
Query understanding and answers key on it; nothing here is specific to one document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import compact


@dataclass(frozen=True)
class FormItem:
    key: str
    labels: tuple[str, ...]  # label variants as printed, without ①②… and ※
    en: tuple[str, ...] = ()  # English terms (lower case)
    ja: tuple[str, ...] = ()  # other Japanese words for it in questions
    within: tuple[str, ...] = ()  # the item only counts under a sub-section whose title has one of these
    choice: bool = False  # a [選択肢] item: the answer is the selected option
    absent: bool = False  # a fact people ask for that the standard form has no item for
    related: tuple[str, ...] = ()  # for an absent fact: the items that say what the form does say


def _f(key, labels, en=(), ja=(), within=(), choice=False) -> FormItem:
    return FormItem(key, tuple(labels), tuple(en), tuple(ja), tuple(within), choice)


def _absent(key, labels, en, ja, related) -> FormItem:
    return FormItem(key, tuple(labels), tuple(en), tuple(ja), absent=True, related=tuple(related))


CATALOGUE: tuple[FormItem, ...] = (
    # 表紙 (cover)
    _f("cover.number", ["評価書番号"], ["assessment number", "number of the assessment"]),
    _f("cover.title", ["評価書名"], ["assessment title", "title"]),
    _f("cover.org", ["評価実施機関名"], ["implementing body", "organisation", "organization"]),
    _f("cover.published", ["公表日"], ["published", "publication date", "publish"], ["公表"]),
    _f("cover.approval", ["個人情報保護委員会承認日", "特定個人情報保護委員会承認日", "承認日"], ["approval date", "approved", "approve"]),
    _f("cover.notes", ["特記事項"], ["special notes", "remarks"]),
    _f("cover.style", ["様式"], ["form version", "form style", "which form"], ["様式番号"]),
    # Ⅰ 基本情報
    _f("jimu.name", ["事務の名称"], ["name of the affair", "business name"]),
    _f("jimu.description", ["事務の内容", "事務の概要"], ["business description", "what the work involves", "tasks", "duties"], ["事務内容", "業務内容"]),
    _f("jimu.target_count", ["対象人数"], ["target population", "number of people covered", "population bracket"], ["人数"], choice=True),
    _f("system.name", ["システムの名称"], ["system name"]),
    _f("system.function", ["システムの機能"], ["system function", "functions"], ["機能"]),
    _f("system.connections", ["他のシステムとの接続"], ["connect", "connection", "connected systems", "linked systems"], ["接続", "つなが"]),
    _f("file.name", ["特定個人情報ファイル名"], ["file name", "personal information file"], ["ファイル名"]),
    _f("reason.necessity", ["事務実施上の必要性"], ["necessity", "why needed"], ["必要性"]),
    _f("reason.merit", ["実現が期待されるメリット"], ["benefit", "merit", "expected benefits", "easier for residents"],
       ["メリット", "利点", "楽になる", "便利になる", "負担軽減"]),
    _f("number_use.legal_basis", ["法令上の根拠"], ["legal basis", "law", "statute"], ["根拠", "法令"], within=("個人番号の利用",)),
    _f("linkage.implemented", ["実施の有無"], ["information linkage", "implemented", "data exchange"], ["情報連携"], within=("情報連携",), choice=True),
    _f("linkage.legal_basis", ["法令上の根拠"], ["legal basis"], ["根拠"], within=("情報連携",)),
    _f("dept.name", ["部署"], ["department", "division in charge", "responsible department"], ["担当部署", "担当課"], within=("担当部署",)),
    _f("dept.head", ["所属長の役職名", "所属長"], ["head of department", "job title", "manager"], ["所属長", "役職"]),
    _f("other_bodies", ["他の評価実施機関"], ["other implementing bodies"]),
    # Ⅱ 特定個人情報ファイルの概要
    _f("file.type", ["ファイルの種類"], ["file type", "kind of file", "system file", "spreadsheet"], ["種類"], choice=True),
    _f("file.subject_count", ["対象となる本人の数"], ["number of persons", "number of data subjects", "how many people"], ["本人の数"], choice=True),
    _f("file.subject_scope", ["対象となる本人の範囲"], ["scope of data subjects", "who is covered"], ["本人の範囲"]),
    _f("file.record_count", ["記録される項目"], ["number of items recorded", "recorded items bracket"], ["項目数"], choice=True),
    _f("file.main_items", ["主な記録項目"], ["main recorded items", "recorded data", "data items"], ["記録項目"]),
    _f("file.all_items", ["全ての記録項目"], ["all recorded items"]),
    _f("validity", ["その妥当性", "妥当性"], ["justification", "validity"], ["理由", "なぜ"]),
    _f("file.start_date", ["保有開始日"], ["start of holding", "held since"], ["保有開始"]),
    _f("file.dept", ["事務担当部署"], ["department in charge of the file"]),
    _f("acquire.source", ["入手元"], ["source", "obtained from", "where obtained", "acquire from"], ["どこから", "入手先", "受け取", "受領"]),
    _f("acquire.method", ["入手方法"], ["how obtained", "method of acquisition"], ["入手手段"]),
    _f("acquire.timing", ["入手の時期・頻度"], ["timing of acquisition", "frequency"], ["頻度", "時期"]),
    _f("acquire.validity", ["入手に係る妥当性"], ["validity of acquisition"]),
    _f("acquire.notice", ["本人への明示"], ["notice to the individual", "notification"], ["明示"]),
    _f("use.purpose", ["使用目的"], ["purpose of use", "purpose"], ["目的"]),
    _f("use.change_validity", ["変更の妥当性"], ["validity of change"]),
    _f("use.actor", ["使用の主体"], ["who uses"], ["使用主体"]),
    _f("use.dept", ["使用部署"], ["departments using", "offices using", "branch offices", "who uses the file"], ["使う部署"]),
    _f("use.users", ["使用者数"], ["number of users", "staff using", "how many staff"], ["職員数", "何人"], choice=True),
    _f("use.method", ["使用方法"], ["how used", "method of use"]),
    _f("use.matching", ["情報の突合"], ["matching", "cross-check", "reconcile"], ["突合"]),
    _f("use.statistics", ["情報の統計分析"], ["statistical analysis", "statistics"], ["統計"]),
    _f("use.decisions", ["権利利益に影響を与え得る決定", "権利利益に影響を与える決定"], ["decisions affecting rights"]),
    _f("use.start_date", ["使用開始日"], ["start of use"], ["使用開始"]),
    _f("itaku.present", ["委託の有無"], ["outsourced", "outsourcing", "entrusted", "number of outsourced items"], ["委託件数", "委託"], choice=True),
    _f("itaku.content", ["委託内容"], ["outsourced work", "what is outsourced", "contract"], ["委託業務"]),
    _f("itaku.scope", ["取扱いを委託する特定個人情報ファイルの範囲"], ["scope of outsourced file"], ["委託範囲"], choice=True),
    _f("itaku.handlers", ["委託先における取扱者数"], ["number of handlers at the contractor", "contractor staff", "people handle", "staff handle",
                                                     "people at the contractor", "staff at the contractor", "contractor's staff"], ["取扱者数", "取扱者", "取り扱う人数", "取扱人数"], choice=True),
    _f("itaku.delivery", ["委託先への特定個人情報ファイルの提供方法"], ["how data is given to the contractor", "give to the contractor", "give to the company",
                                                                   "given to the contractor", "provided to the contractor", "hand over to the contractor",
                                                                   "pass to the contractor"], ["提供方法"]),
    _f("itaku.name_check", ["委託先名の確認方法"], ["how to confirm the contractor name"], ["確認方法"]),
    _f("itaku.contractor_name", ["委託先名"], ["contractor", "vendor", "contract holder", "company", "outsourced to", "entrusted to"], ["委託先", "業者"]),
    # Facts the form does not ask for: the answer is "not stated", with what the form does say.
    _absent("itaku.subcontractor_name", ["再委託先名"], ["subcontractor", "re-delegated to", "sub-contractor", "pass on to",
                                                               "passed on to", "hand on to", "handed on to"],
            ["再委託先"], ["itaku.subcontract", "itaku.subcontract_items", "itaku.subcontract_permission"]),
    _absent("storage.cloud_provider", ["クラウド事業者名"], ["cloud provider", "cloud vendor", "which cloud"],
            ["クラウド事業者", "クラウドサービス事業者"], ["storage.location"]),
    # The form describes the work entrusted, never the contract's money or term, nor people by name.
    _absent("itaku.contract_amount", ["契約金額"], ["contract amount", "contract value", "contract price", "pay ",
                                                  "paid to", "how much does", "how much do"],
            ["委託料", "契約金額", "委託費", "契約額", "委託金額"], ["itaku.content", "itaku.contractor_name"]),
    _absent("itaku.contract_term", ["契約期間"], ["contract term", "contract period", "contract expire", "contract end"],
            ["契約期間", "契約期限", "契約の期間"], ["itaku.content", "itaku.contractor_name"]),
    _absent("itaku.contractor_address", ["委託先の所在地"], ["contractor's address", "address of the contractor",
                                                          "where is the contractor located"],
            ["委託先の所在地", "委託先の住所", "業者の所在地", "業者の住所", "委託先の本社"], ["itaku.contractor_name"]),
    _absent("itaku.contractor_headcount", ["委託先の従業員数"], ["number of employees", "headcount", "how big is the contractor"],
            ["従業員数", "社員数", "従業員の数"], ["itaku.handlers", "itaku.contractor_name"]),
    _absent("dept.head_person", ["担当者の氏名"], ["name of the current", "person in charge", "full name"],
            ["氏名", "担当者名", "担当者の名前", "課長の名前", "部長の名前"], ["dept.head", "dept.name", "itaku.contractor_name"]),
    _f("itaku.subcontract", ["再委託の有無"], ["subcontract", "re-delegate", "re-entrust", "subcontracting"], ["再委託"], choice=True),
    _f("itaku.subcontract_permission", ["再委託の許諾方法"], ["subcontracting approval", "permission to subcontract"], ["許諾", "承認"]),
    _f("itaku.subcontract_items", ["再委託事項"], ["subcontracted work", "what is subcontracted"], ["再委託内容"]),
    _f("provide.present", ["提供・移転の有無"], ["provision", "transfer", "number of recipients", "provided to"], ["提供", "移転"], choice=True),
    _f("provide.legal_basis", ["法令上の根拠"], ["legal basis"], ["根拠"], within=("提供・移転", "提供先", "移転先")),
    _f("provide.purpose", ["提供先における用途", "移転先における用途"], ["use at the recipient", "why transferred", "purpose of transfer"], ["用途", "何のため"]),
    _f("provide.info", ["提供する情報", "移転する情報"], ["information provided", "information transferred"]),
    _f("provide.subject_count", ["提供する情報の対象となる本人の数", "移転する情報の対象となる本人の数"], ["number of persons provided"], choice=True),
    _f("provide.scope", ["提供する情報の対象となる本人の範囲", "移転する情報の対象となる本人の範囲"], ["scope of provision"]),
    _f("provide.method", ["提供方法", "移転方法"], ["method of provision", "how provided", "delivery method",
                                               "means of provision", "how is it sent", "how are they sent"]),
    _f("provide.timing", ["時期・頻度"], ["timing", "frequency"], ["頻度"]),
    _f("storage.location", ["保管場所"], ["storage location", "where stored", "data centre", "data center", "server room", "building", "host", "cloud"], ["保管", "サーバ", "データセンター"]),
    _f("storage.period", ["保管期間", "期間"], ["retention", "retention period", "how long kept", "retain"], ["保存期間", "保管期間", "いつまで"], within=("保管",), choice=True),
    _f("storage.deletion", ["消去方法"], ["deletion", "erasure", "how deleted", "disposal"], ["消去", "廃棄", "削除"]),
    _f("remarks", ["備考"], ["remarks", "notes"]),
    # Ⅲ リスク対策
    _f("risk.sufficient", ["リスクへの対策は十分か"], ["are measures sufficient", "rating", "sufficient"], ["十分"], choice=True),
    _f("risk.measures", ["リスクに対する措置の内容"], ["measures", "countermeasures"], ["措置", "対策"]),
    _f("risk.other", ["その他のリスク及びそのリスクに対する措置"], ["other risks"], ["その他のリスク"]),
    _f("risk.deceased", ["死者の個人番号"], ["deceased", "dead people", "personal numbers of deceased"], ["死者", "死亡者", "亡くなった", "死亡した"], choice=True),
    _f("risk.technical", ["技術的対策"], ["technical measures", "technical safeguards"], choice=True),
    _f("risk.physical", ["物理的対策"], ["physical measures", "physical safeguards"], choice=True),
    _f("risk.nisc", ["NISC政府機関統一基準群", "政府機関統一基準群"], ["nisc", "government standards"], choice=True),
    _f("risk.security_system", ["安全管理体制"], ["security management system"], choice=True),
    _f("risk.security_rules", ["安全管理規程"], ["security rules"], choice=True),
    _f("risk.backup", ["バックアップ"], ["backup"], choice=True),
    _f("risk.incident", ["過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか", "重大事故"], ["serious incident", "breach", "accident"], ["事故"], choice=True),
    _f("risk.incident_measures", ["再発防止策の内容"], ["prevention of recurrence"], ["再発防止"]),
    _f("risk.contract_rules", ["委託契約書中の特定個人情報ファイルの取扱いに関する規定", "規定の内容"], ["contract clauses", "provisions on handling", "contract provisions",
                                                                        "clauses of the contract"], ["契約書"], choice=True),
    _f("risk.contractor_check", ["情報保護管理体制の確認"], ["contractor selection", "certification", "privacy mark", "isms"], ["業者選定", "認証"]),
    # Ⅳ その他のリスク対策
    _f("audit.self_check", ["自己点検"], ["self-inspection", "self check"], ["自己点検"], choice=True),
    _f("audit.audit", ["監査"], ["audit", "internal audit"], ["内部監査"], within=("監査",), choice=True),
    _f("audit.detail", ["具体的なチェック方法", "具体的な内容", "具体的な方法"], ["details"], ["具体的"]),
    _f("training", ["従業者に対する教育・啓発"], ["training", "staff education", "awareness"], ["研修", "教育"], choice=True),
    # Ⅴ 開示請求、問合せ
    _f("disclosure.contact", ["請求先"], ["disclosure request", "where to request disclosure", "request for disclosure", "where to submit"], ["開示請求", "開示"]),
    _f("disclosure.method", ["請求方法"], ["how to request"]),
    _f("disclosure.fee", ["手数料等"], ["fee", "cost", "charge"], ["手数料", "有料", "無料"]),
    _f("disclosure.file_register", ["個人情報ファイル簿の公表"], ["personal information file register"], ["ファイル簿"]),
    _f("inquiry.contact", ["連絡先"], ["contact", "inquiry", "enquiry", "phone", "telephone", "email", "fax", "address"], ["問合せ", "問い合わせ", "電話", "電話番号", "メール", "FAX", "ファックス"]),
    _f("inquiry.handling", ["対応方法"], ["how inquiries are handled"]),
    # Ⅵ 評価実施手続
    _f("procedure.date", ["実施日"], ["date carried out", "when conducted"], ["実施日"]),
    _f("procedure.threshold", ["しきい値判断結果"], ["threshold determination", "threshold result", "mandatory"], ["しきい値", "義務付け"], choice=True),
    _f("procedure.method", ["方法"], ["method"], ["方法"], within=("意見の聴取", "第三者点検")),
    _f("procedure.period", ["実施日・期間"], ["period of public comment"], ["期間"]),
    _f("procedure.shortening", ["期間を短縮する特段の理由"], ["reason for shortening"]),
    _f("procedure.opinions", ["主な意見の内容"], ["public comments", "opinions received", "public comment"], ["意見", "パブコメ"]),
    _f("procedure.reflection", ["評価書への反映"], ["reflected", "how reflected"], ["反映"]),
    _f("procedure.result", ["結果"], ["result", "outcome"], ["結果"], within=("第三者点検", "承認")),
    _f("procedure.approval", ["個人情報保護委員会の承認"], ["approval by the personal information protection commission", "ppc approval"], ["委員会の承認"]),
)

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUMBERING = re.compile(rf"^[\s{CIRCLED}]+|※|【[^】]*】|\s+")


def label_core(label: str) -> str:
    """A label without its number, ※ marks, 【…】 notes and spaces, NFKC'd, for matching.

    >>> label_core(" ⑥委託先名 ※"), label_core("⑦再委託の有無　※")
    ('委託先名', '再委託の有無')
    """
    return compact(_NUMBERING.sub("", label))


@lru_cache(maxsize=1)
def _by_label() -> dict[str, tuple[FormItem, ...]]:
    table: dict[str, list[FormItem]] = {}
    for entry in CATALOGUE:
        for label in entry.labels:
            table.setdefault(label_core(label), []).append(entry)
    return {k: tuple(v) for k, v in table.items()}


def known_labels() -> tuple[str, ...]:
    """Every label core in the catalogue, longest first (for prefix matching)."""
    return tuple(sorted(_by_label(), key=len, reverse=True))


# Labels the standard form prints that no question vocabulary keys on (the risk-measure rows of Ⅲ,
# the file-register rows of Ⅴ): known so that a label a PDF cell wrapped is read whole.
UNKEYED_LABELS: tuple[str, ...] = (
    "対象者以外の情報の入手を防止するための措置の内容", "必要な情報以外を入手することを防止するための措置の内容",
    "入手の際の本人確認の措置の内容", "個人番号の真正性確認の措置の内容", "特定個人情報の正確性確保の措置の内容",
    "宛名システム等における措置の内容", "事務で使用するその他のシステムにおける措置の内容",
    "ユーザ認証の管理", "アクセス権限の発効・失効の管理", "アクセス権限の管理", "特定個人情報の使用の記録",
    "特定個人情報ファイルの閲覧者・更新者の制限", "特定個人情報ファイルの取扱いの記録", "特定個人情報の提供ルール",
    "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法",
    "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法", "特定個人情報の消去ルール",
    "ルールの内容及びルール遵守の確認方法", "再委託先による特定個人情報ファイルの適切な取扱いの確保",
    "再委託先による特定個人情報ファイルの適切な取扱いの担保", "特定個人情報の提供・移転の記録",
    "特定個人情報の提供・移転に関するルール", "事故発生時手順の策定・周知", "具体的な管理方法", "具体的な制限方法",
    "具体的な保管方法", "具体的な対策の内容", "その他の措置の内容", "個人情報ファイル簿への不記載等",
    "法令による特別の手続", "個人情報ファイル名", "公表場所", "提出日", "個人情報保護委員会による審査",
)


@lru_cache(maxsize=1)
def form_labels() -> frozenset[str]:
    """Every label core the standard form prints: the catalogue's and the unkeyed ones."""
    return frozenset(_by_label()) | {label_core(label) for label in UNKEYED_LABELS}


def resolve(label: str, path: tuple[str, ...] = ()) -> FormItem | None:
    """The catalogue entry for a printed label in its section path, or None.

    >>> resolve("⑥委託先名").key, resolve("③委託先名").key
    ('itaku.contractor_name', 'itaku.contractor_name')
    >>> resolve("①法令上の根拠", ("Ⅱ", "5. 特定個人情報の提供・移転", "移転先1")).key
    'provide.legal_basis'
    """
    core = label_core(label)
    entries = _by_label().get(core, ()) or next(
        (v for k, v in _by_label().items() if len(k) >= 8 and core.endswith(k) and len(core) <= 80), ())
    context = compact(" ".join(path))
    scoped = [e for e in entries if e.within and any(compact(w) in context for w in e.within)]
    if scoped:
        return scoped[0]
    plain = [e for e in entries if not e.within]
    return plain[0] if plain else None


def by_key(key: str) -> FormItem:
    for entry in CATALOGUE:
        if entry.key == key:
            return entry
    raise KeyError(key)


# Options the standard form prints for its choice items: a bare selected value is recognised by
# these even where a document does not print the option list next to it.
STANDARD_OPTIONS: tuple[str, ...] = (
    "特に力を入れている", "十分である", "課題が残されている",
    "特に力を入れて行っている", "十分に行っている", "十分に行っていない",
    "特に力を入れて整備している", "十分に整備している", "十分に整備していない",
    "特に力を入れて周知している", "十分に周知している", "十分に周知していない",
    "特に力を入れて遵守している", "十分に遵守している", "十分に遵守していない",
    "政府機関ではない", "定めている", "定めていない", "記録を残している", "記録を残していない",
    "制限している", "制限していない", "行っている", "行っていない",
    "委託する", "委託しない", "再委託する", "再委託しない", "実施する", "実施しない", "未定",
    "保管している", "保管していない", "発生あり", "発生なし", "有料", "無料",
    "システム用ファイル", "その他の電子ファイル(表計算ファイル等)",
    "特定個人情報ファイルの全体", "特定個人情報ファイルの一部",
)
