"""How batch 2 of the real-news campaign labels was drawn (written and run once, 2026-12-02,
before any rule change after batch 1's test split had been read).

    python3 tests/realnews_labels/sample2.py > /tmp/sample2.tsv

Only articles NOT in labels.csv (batch 1). Sources, so that precision and recall can both be
measured:
  tagged   every article the tagger of this commit's parent (9f0e463) tags;
  random   RANDOM_SIZE articles (seeded), tagged or not;
  topic    per campaign, up to TOPIC_PER_CAMPAIGN[slug] articles (seeded, not drawn above)
           whose folded title, summary or first 600 body characters hold one of
           TOPIC_WORDS[slug]: topic words written from what each campaign is about, NOT from
           the registry's rule phrases. Batch 1 drew EVERY article with "bau cu", "ung cu",
           "hiep thuong", "chuyen doi so", "ma tuy", "an toan thuc pham" anywhere, so those
           words can find nothing new; other ways of naming those subjects are listed instead.
  body     added after labelling the 271 articles above found only 2 (borderline) positives:
           every article not drawn above whose folded title, summary or BODY holds one of
           BODY_WORDS[slug] (core topic phrases, again not the rule phrases): campaigns named
           only further down, which are either body-dominant positives or passing mentions.
           The title and summary of the remaining articles hold no topic word at all.
Reads ../shared/realnews/news.jsonl.gz; prints id and source(s); no article text.
"""

import csv
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from plugins.vntext import fold, nfc  # noqa: E402

NEWS = ROOT.parent / "shared" / "realnews" / "news.jsonl.gz"
BATCH1 = ROOT / "tests" / "realnews_labels" / "labels.csv"
SEED = 202612022
RANDOM_SIZE = 90
MAJOR = 18  # campaigns that real news talks about (batch 1 found positives)
MINOR = 5

TOPIC_WORDS = {
    "bau-cu-2021": ["dai bieu quoc hoi", "hdnd", "hoi dong nhan dan", "cu tri", "khoa xv", "nhiem ky 2021", "to bau"],
    "tiem-chung-vac-xin-phong-covid-19": ["vac xin", "vaccine", "vacxin", "tiem", "mui", "astrazeneca", "pfizer", "mien dich cong dong"],
    "nam-an-toan-giao-thong": ["giao thong", "csgt", "nong do con", "mu bao hiem", "xu phat", "tai nan", "toc do"],
    "chuyen-doi-so": ["so hoa", "chinh phu dien tu", "chinh phu so", "dich vu cong", "khong dung tien mat", "kinh te so", "cong nghe so", "du lieu so"],
    "thang-hanh-dong-vi-an-toan-thuc-pham": ["thuc pham", "ngo doc", "hang gia", "nguon goc", "phu gia", "chat cam"],
    "hoc-tap-va-lam-theo-bac": ["bac ho", "chu tich ho chi minh", "tu tuong ho chi minh", "lam theo", "tam guong"],
    "thang-hanh-dong-vi-tre-em": ["tre em", "thieu nhi", "xam hai", "duoi nuoc", "bao hanh", "tre nho"],
    "thang-hanh-dong-phong-chong-ma-tuy": ["heroin", "cai nghien", "thuoc lac", "can sa", "chat gay nghien", "nghien"],
    "ngay-sach-va-van-hoa-doc-viet-nam": ["doc sach", "thu vien", "van hoa doc", "ngay sach", "sach", "xuat ban"],
    "binh-dang-gioi": ["binh dang gioi", "bao luc gia dinh", "phu nu", "nu gioi", "quyen phu nu"],
    "thang-hanh-dong-vi-binh-dang-gioi": ["bao luc gioi", "xam hai phu nu", "quay roi tinh duc", "bao luc doi voi phu nu"],
    "ngay-phap-luat-viet-nam": ["pho bien phap luat", "hien phap", "phap luat", "chap hanh phap luat"],
    "xay-dung-nong-thon-moi": ["nong thon moi", "nong thon", "tieu chi"],
    "xay-dung-do-thi-van-minh": ["van minh do thi", "via he", "trat tu do thi", "nep song van minh"],
    "xay-dung-chinh-don-dang": ["dang vien", "chi bo", "ky luat dang", "dai hoi dang", "xay dung dang", "tham nhung"],
    "ngay-hoi-dai-doan-ket-toan-dan-toc": ["mat tran to quoc", "dai doan ket", "khu dan cu"],
    "ngay-hoi-toan-dan-bao-ve-an-ninh-to-quoc": ["an ninh trat tu", "bao ve an ninh", "cong an xa", "to dan phong"],
    "ngay-toan-dan-phong-chay-chua-chay": ["phong chay", "chua chay", "hoa hoan", "cuu hoa", "pccc"],
    "hien-mau-tinh-nguyen": ["hien mau", "truyen mau", "nhom mau", "ngan hang mau"],
    "nguoi-viet-nam-uu-tien-dung-hang-viet-nam": ["hang viet", "thuong hieu viet", "hang noi", "san xuat trong nuoc", "nguoi tieu dung"],
}
BODY_WORDS = {
    "tiem-chung-vac-xin-phong-covid-19": ["tiem vac xin", "tiem chung", "tiem vaccine", "mui tiem"],
    "nam-an-toan-giao-thong": ["an toan giao thong", "csgt", "canh sat giao thong", "nong do con", "mu bao hiem"],
    "ngay-sach-va-van-hoa-doc-viet-nam": ["doc sach", "van hoa doc"],
    "chuyen-doi-so": ["so hoa", "chinh phu dien tu", "chinh phu so", "dich vu cong truc tuyen"],
    "thang-hanh-dong-vi-tre-em": ["bao ve tre em", "xam hai tre em", "quyen tre em", "bao hanh tre em"],
    "hoc-tap-va-lam-theo-bac": ["lam theo tu tuong", "tam guong dao duc"],
    "thang-hanh-dong-vi-an-toan-thuc-pham": ["ve sinh an toan thuc pham", "thuc pham ban", "ngo doc"],
    "bau-cu-2021": ["khoa xv", "hdnd cac cap", "nhiem ky 2021 2026"],
    "ngay-toan-dan-phong-chay-chua-chay": ["phong chay chua chay", "pccc"],
    "hien-mau-tinh-nguyen": ["hien mau"],
}
MAJORS = {"bau-cu-2021", "tiem-chung-vac-xin-phong-covid-19", "nam-an-toan-giao-thong", "chuyen-doi-so",
          "thang-hanh-dong-vi-an-toan-thuc-pham", "hoc-tap-va-lam-theo-bac", "thang-hanh-dong-vi-tre-em",
          "thang-hanh-dong-phong-chong-ma-tuy", "ngay-sach-va-van-hoa-doc-viet-nam"}


def words_of(text):
    """Folded words separated by single spaces, padded: whole-word lookups."""
    return " " + " ".join(re.findall(r"\w+", fold(nfc(text)))) + " "


def main():
    from plugins.campaigns.campaigns import load_state  # noqa: PLC0415
    from plugins.campaigns.cli import project_settings  # noqa: PLC0415
    from plugins.campaigns.evaluation import news_fields  # noqa: PLC0415

    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    with open(BATCH1, encoding="utf-8", newline="") as handle:
        done = {row["id"] for row in csv.DictReader(handle)}
    rows = [row for row in rows if row["id"] not in done]
    settings = project_settings(None)
    settings["PATH"] = str(ROOT / "content")
    matcher = load_state(settings).matcher
    sources = {}
    for row in rows:
        if matcher.tag(*news_fields(row)):
            sources.setdefault(row["id"], []).append("tagged")
    rng = random.Random(SEED)
    ids = sorted(row["id"] for row in rows)
    for article_id in rng.sample(ids, RANDOM_SIZE):
        sources.setdefault(article_id, []).append("random")
    heads = {row["id"]: words_of(" ".join([row.get("title") or "", row.get("summary") or "",
                                            (row.get("body") or "")[:600]])) for row in rows}
    for slug, words in TOPIC_WORDS.items():
        hits = sorted(i for i, text in heads.items() if i not in sources and any(f" {w} " in text for w in words))
        size = MAJOR if slug in MAJORS else MINOR
        for article_id in rng.sample(hits, min(size, len(hits))):
            sources.setdefault(article_id, []).append(f"topic:{slug}")
    texts = {row["id"]: words_of(" ".join([row.get("title") or "", row.get("summary") or "", row.get("body") or ""]))
             for row in rows}
    for slug, words in BODY_WORDS.items():
        for article_id in sorted(i for i, text in texts.items() if i not in sources and any(f" {w} " in text for w in words)):
            sources.setdefault(article_id, []).append(f"body:{slug}")
    for article_id in sorted(sources):
        print(f"{article_id}\t{' '.join(sources[article_id])}")


if __name__ == "__main__":
    main()
