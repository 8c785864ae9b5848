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
# English (and romanised) words -> the forms' Japanese vocabulary.
ENGLISH: dict[str, str] = {
    "national pension": "国民年金", "pension": "年金", "resident registry": "住民基本台帳",
    "resident register": "住民基本台帳", "resident records": "住民基本台帳", "resident record": "住民基本台帳",
    "basic resident": "住民基本台帳", "residents": "住民", "mutual-aid": "共済", "mutual aid": "共済",
    "federation": "連合会", "municipal employees": "市町村職員", "personal number": "個人番号",
    "my number": "個人番号", "change log": "変更箇所", "revision": "変更", "changed": "変更", "change": "変更",
    "added": "追加", "deleted": "削除", "system": "システム", "file": "ファイル", "branch office": "支所",
    "liaison office": "連絡所", "city hall": "市役所", "tax": "税", "health insurance": "健康保険",
    "long-term care": "介護保険", "data centre": "データセンター", "data center": "データセンター",
    "cloud": "クラウド", "government cloud": "ガバメントクラウド", "training": "研修", "audit": "監査",
    "third-party review": "第三者点検", "third party": "第三者点検", "public comment": "意見",
    "certification": "認証", "entry": "入館", "building": "建物", "exemption": "免除", "notification": "通知",
    "operation": "運用", "maintenance": "保守", "development": "開発", "contract": "契約",
    "outsourc": "委託", "subcontract": "再委託", "re-delegat": "再委託", "retention": "保管期間",
    "retain": "保管", "keep": "保管", "kept": "保管", "disclosure": "開示請求", "inquir": "問合せ", "enquir": "問合せ", "phone": "電話番号",
    "fax": "FAX", "email": "メール", "e-mail": "メール", "deceased": "死者", "statistic": "統計分析",
    "threshold": "しきい値判断", "approv": "承認", "published": "公表日", "item": "項目",
    "common platform": "共通基盤", "platform": "基盤", "existing": "既存", "address": "宛名",
    "file layout": "記録項目", "data items": "記録項目", "recorded": "記録", "record items": "記録項目",
    "handler": "取扱者", "handle": "取扱", "contractor": "委託先", "give": "提供", "hand over": "提供", "provide": "提供", "dedicated line": "専用線", "usb": "USBメモリ",
    "external media": "電子記録媒体", "media": "媒体", "carried": "搬送", "carry": "搬送", "transport": "搬送",
    "encrypt": "暗号化", "password": "パスワード", "log": "ログ", "access control": "アクセス制御", "japan pension service": "日本年金機構", "pension service": "日本年金機構", "biometric": "生体情報",
    "fingerprint": "指紋", "vein": "静脈", "two-factor": "二要素認証", "log in": "ログイン", "provisions": "規定", "clause": "規定",
    "access right": "アクセス権限", "revok": "失効", "granted": "発効", "grant ": "発効",
    "municipalities": "市町村", "municipality": "市町村", "staff": "職員", "department": "部署",
}
