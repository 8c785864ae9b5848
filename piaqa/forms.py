"""The printed layout of the three form types (全項目評価書 様式4, 重点項目評価書 様式3, 基礎項目評価書 様式2):
their section and sub-section titles, and which items a form type prints at all."""
from __future__ import annotations

from .form.catalogue import FORM_TYPES
from .schema import by_key

SECTION_TITLES: tuple[str, ...] = (
    "基本情報", "特定個人情報ファイルの概要", "特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
    "リスク対策", "その他のリスク対策", "開示請求、問合せ", "評価実施手続",
    "関連情報", "しきい値判断項目", "しきい値判断結果",  # 基礎項目評価書 (様式2)
)
SUBSECTION_TITLES: tuple[str, ...] = (
    "特定個人情報ファイルを取り扱う事務において使用するシステム", "特定個人情報ファイルを取り扱う事務",
    "特定個人情報ファイル名", "特定個人情報ファイルを取り扱う理由", "個人番号の利用",
    "情報提供ネットワークシステムによる情報連携", "評価実施機関における担当部署", "他の評価実施機関",
    "基本情報", "特定個人情報の入手・使用", "特定個人情報ファイルの取扱いの委託", "特定個人情報の提供・移転",
    "特定個人情報の保管・消去", "備考", "特定個人情報の入手", "特定個人情報の使用",
    "情報提供ネットワークシステムとの接続", "監査", "従業者に対する教育・啓発", "その他のリスク対策",
    "特定個人情報の開示・訂正・利用停止請求", "特定個人情報ファイルの取扱いに関する問合せ",
    "基礎項目評価", "国民・住民等からの意見の聴取", "第三者点検", "個人情報保護委員会の承認",
    "リスク対策", "評価実施手続",
    "対象人数", "取扱者数", "重大事故", "しきい値判断結果", "提出する特定個人情報保護評価書の種類",  # 様式2
)


def printed_by(form: str | None, key: str) -> bool:
    """Whether a form type prints the item `key` at all, as the 様式 catalogue says (an unknown form
    type, a change log alone, or an item the catalogue does not place: assume it does).

    >>> printed_by("基礎項目評価書", "itaku.contractor_name"), printed_by("全項目評価書", "itaku.contractor_name")
    (False, True)
    """
    if form not in FORM_TYPES:
        return True
    try:
        forms = by_key(key).forms
    except KeyError:
        return True
    return not forms or form in forms
