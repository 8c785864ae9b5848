"""The vocabulary people use for what PIA forms write: abbreviations, and English (or romanised) words
mapped to the forms' Japanese. General domain knowledge; nothing here names a particular question."""
from __future__ import annotations

# Abbreviations people type, and what the forms write.
ABBREVIATIONS: dict[str, str] = {
    "住基ネット": "住民基本台帳ネットワークシステム", "住基": "住民基本台帳", "国年": "国民年金",
    "共済": "共済組合", "国保": "国民健康保険", "介保": "介護保険", "後期高齢": "後期高齢者医療",
    "マイナンバーカード": "個人番号カード", "マイナンバー": "個人番号", "番号法": "番号利用法",
    "パブコメ": "意見の聴取", "j-lis": "地方公共団体情報システム機構",
}
# English names of what the forms are about -> the forms' Japanese: the 事務 and the bodies that run them,
# the form's own parts, and the general words of municipal systems. The words for a form item are its printed
# labels (the 様式 catalogue), not entries here.
ENGLISH: dict[str, str] = {
    "national pension": "国民年金", "pension": "年金", "japan pension service": "日本年金機構",
    "resident registry": "住民基本台帳", "resident register": "住民基本台帳", "resident record": "住民基本台帳",
    "basic resident": "住民基本台帳", "residents": "住民", "health insurance": "健康保険", "long-term care": "介護保険",
    "mutual-aid": "共済", "mutual aid": "共済", "federation": "連合会", "municipal employees": "市町村職員",
    "municipalit": "市町村", "personal number": "個人番号", "my number": "個人番号",
    "change log": "変更箇所", "revision": "変更", "changed": "変更", "change": "変更", "added": "追加", "deleted": "削除",
    "third-party review": "第三者点検", "public comment": "意見の聴取", "threshold": "しきい値判断",
    "system": "システム", "file": "ファイル", "cloud": "クラウド", "government cloud": "ガバメントクラウド",
    "data centre": "データセンター", "data center": "データセンター", "city hall": "市役所", "branch office": "支所",
    "tax": "税",
}
