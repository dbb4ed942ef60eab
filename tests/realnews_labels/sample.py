"""How the real-news evaluation sample was drawn (run once, 2026-12-02, before any rule change).

    python3 tests/realnews_labels/sample.py > /tmp/sample.tsv

Three sources, so that both precision and recall can be measured:
  tagged   every article the tagger of commit d8ead0d (issue 4 rules) tagged;
  keyword  per campaign, up to KEYWORD_PER_CAMPAIGN articles (seeded) whose folded title, summary
           or first 600 body characters contain one of TOPIC_KEYWORDS[slug]: broad topic words
           written from knowledge of each campaign, NOT from the registry's rule phrases;
  random   RANDOM_SIZE articles (seeded) the tagger did not tag;
  headline per campaign, up to HEAD_PER_CAMPAIGN more articles (seeded, not drawn above) whose
           folded title or summary contains one of HEAD_KEYWORDS[slug]: a second draw added after
           a first labelling pass found too few positives (2 election articles) to measure recall;
  text     per campaign, up to TEXT_PER_CAMPAIGN more (seeded, not drawn above) whose folded title,
           summary or body contains one of TEXT_KEYWORDS[slug] anywhere: more positives and more
           passing mentions (hard negatives) for the campaigns that real news talks about;
  all      every article not drawn above whose folded text contains one of ALL_KEYWORDS[slug]:
           the election, digital transformation, drugs and food safety, so that recall on them is
           measured on every candidate rather than on a handful.
Reads ../shared/realnews/news.jsonl.gz; prints id and source(s); no article text.
"""

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
SEED = 20261202
KEYWORD_PER_CAMPAIGN = 12
RANDOM_SIZE = 60
HEAD_PER_CAMPAIGN = 25
TEXT_PER_CAMPAIGN = 20

# Folded (no diacritics) topic words, from what each campaign is about.
TOPIC_KEYWORDS = {
    "binh-dang-gioi": ["binh dang gioi", "bao luc gia dinh", "quyen cua phu nu", "phan biet gioi", "hoi lien hiep phu nu", "can bo nu", "nu quyen"],
    "thang-hanh-dong-vi-binh-dang-gioi": ["bao luc gioi", "bao luc doi voi phu nu", "xam hai phu nu", "quay roi tinh duc"],
    "thang-hanh-dong-vi-tre-em": ["tre em", "thieu nhi", "xam hai tre", "duoi nuoc", "bao hanh tre", "1/6"],
    "ngay-phap-luat-viet-nam": ["phap luat", "hien phap", "pho bien phap luat", "tuyen truyen phap luat"],
    "thang-hanh-dong-phong-chong-ma-tuy": ["ma tuy", "ma tuy", "heroin", "cai nghien", "thuoc lac", "ke toc"],
    "nam-an-toan-giao-thong": ["giao thong", "tai nan", "nong do con", "mu bao hiem", "csgt", "canh sat giao thong"],
    "chuyen-doi-so": ["chuyen doi so", "so hoa", "chinh phu dien tu", "cong nghe so", "dich vu cong truc tuyen", "thanh toan khong dung tien mat", "4.0"],
    "xay-dung-nong-thon-moi": ["nong thon", "xa nong thon", "nong dan", "tieu chi"],
    "xay-dung-do-thi-van-minh": ["van minh", "via he", "trat tu do thi", "my quan do thi", "nep song"],
    "hoc-tap-va-lam-theo-bac": ["bac ho", "ho chi minh", "chu tich ho chi minh", "tam guong"],
    "xay-dung-chinh-don-dang": ["dang vien", "ky luat dang", "dai hoi dang", "chi bo", "trung uong", "tham nhung"],
    "ngay-hoi-dai-doan-ket-toan-dan-toc": ["mat tran to quoc", "dai doan ket", "khu dan cu"],
    "ngay-hoi-toan-dan-bao-ve-an-ninh-to-quoc": ["an ninh trat tu", "an ninh to quoc", "cong an xa", "to dan phong"],
    "ngay-toan-dan-phong-chay-chua-chay": ["chay", "hoa hoan", "chua chay", "cuu hoa", "cuu nan"],
    "hien-mau-tinh-nguyen": ["hien mau", "truyen mau", "nhom mau", "ngan hang mau"],
    "tiem-chung-vac-xin-phong-covid-19": ["vac xin", "vaccine", "vacxin", "tiem chung", "mui tiem"],
    "bau-cu-2021": ["bau cu", "ung cu", "cu tri", "khoa xv", "nhiem ky 2021", "hiep thuong"],
    "thang-hanh-dong-vi-an-toan-thuc-pham": ["thuc pham", "ngo doc", "thuc pham ban", "phu gia", "hang gia"],
    "ngay-sach-va-van-hoa-doc-viet-nam": ["doc sach", "thu vien", "van hoa doc", "ngay sach", "sach"],
    "nguoi-viet-nam-uu-tien-dung-hang-viet-nam": ["hang viet", "hang noi", "thuong hieu viet", "san xuat trong nuoc", "nguoi tieu dung"],
}


# Folded topic words looked for in the title and summary only (second draw).
HEAD_KEYWORDS = {
    "bau-cu-2021": ["ung cu", "bau cu", "hiep thuong", "khoa xv", "cu tri"],
    "tiem-chung-vac-xin-phong-covid-19": ["vac xin", "vaccine", "tiem chung"],
    "chuyen-doi-so": ["chuyen doi so", "so hoa", "chinh phu dien tu", "chinh phu so", "dich vu cong truc tuyen"],
    "thang-hanh-dong-vi-an-toan-thuc-pham": ["thuc pham", "ngo doc"],
    "nam-an-toan-giao-thong": ["giao thong", "csgt", "nong do con", "mu bao hiem"],
    "thang-hanh-dong-phong-chong-ma-tuy": ["ma tuy", "heroin", "cai nghien"],
    "ngay-toan-dan-phong-chay-chua-chay": ["chua chay", "phong chay", "hoa hoan"],
    "thang-hanh-dong-vi-tre-em": ["tre em", "xam hai"],
    "ngay-sach-va-van-hoa-doc-viet-nam": ["doc sach", "van hoa doc", "ngay sach"],
    "hien-mau-tinh-nguyen": ["hien mau"],
    "binh-dang-gioi": ["binh dang gioi", "bao luc gia dinh"],
    "xay-dung-nong-thon-moi": ["nong thon moi"],
    "hoc-tap-va-lam-theo-bac": ["lam theo", "bac ho"],
}

# Folded core topic words looked for anywhere in the text (third draw).
TEXT_KEYWORDS = {
    "bau-cu-2021": ["bau cu", "ung cu", "hiep thuong", "khoa xv"],
    "tiem-chung-vac-xin-phong-covid-19": ["vac xin", "vaccine"],
    "chuyen-doi-so": ["chuyen doi so"],
    "thang-hanh-dong-phong-chong-ma-tuy": ["ma tuy"],
    "thang-hanh-dong-vi-an-toan-thuc-pham": ["an toan thuc pham", "ngo doc thuc pham"],
    "xay-dung-nong-thon-moi": ["nong thon moi"],
    "binh-dang-gioi": ["binh dang gioi"],
    "hien-mau-tinh-nguyen": ["hien mau"],
}

# Every remaining article with one of these (fourth draw, no sampling).
ALL_KEYWORDS = {
    "bau-cu-2021": ["bau cu", "ung cu", "hiep thuong"],
    "chuyen-doi-so": ["chuyen doi so"],
    "thang-hanh-dong-phong-chong-ma-tuy": ["ma tuy"],
    "thang-hanh-dong-vi-an-toan-thuc-pham": ["an toan thuc pham", "ngo doc thuc pham"],
}


def load():
    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def head(row):
    text = " ".join([row.get("title") or "", row.get("summary") or "", (row.get("body") or "")[:600]])
    return " " + " ".join(fold(nfc(text)).split()) + " "


def words_of(text):
    """Folded words of ``text`` separated by single spaces, padded: whole-word lookups."""
    return " " + " ".join(re.findall(r"\w+", fold(nfc(text)))) + " "


def main():
    rows = load()
    tagged = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
    sources = {}
    for article_id in tagged:
        sources.setdefault(article_id, []).append("tagged")
    rng = random.Random(SEED)
    heads = {row["id"]: head(row) for row in rows}
    for slug, words in TOPIC_KEYWORDS.items():
        hits = [i for i, text in heads.items() if any(f" {w} " in text or f" {w}" in text for w in words)]
        for article_id in rng.sample(sorted(hits), min(KEYWORD_PER_CAMPAIGN, len(hits))):
            sources.setdefault(article_id, []).append(f"keyword:{slug}")
    untagged = sorted(i for i in heads if i not in tagged)
    for article_id in rng.sample(untagged, RANDOM_SIZE):
        sources.setdefault(article_id, []).append("random")
    titles = {row["id"]: words_of((row.get("title") or "") + " " + (row.get("summary") or "")) for row in rows}
    for slug, words in HEAD_KEYWORDS.items():
        hits = [i for i, text in titles.items() if i not in sources and any(f" {w} " in text for w in words)]
        for article_id in rng.sample(sorted(hits), min(HEAD_PER_CAMPAIGN, len(hits))):
            sources.setdefault(article_id, []).append(f"headline:{slug}")
    texts = {row["id"]: words_of(" ".join([row.get("title") or "", row.get("summary") or "", row.get("body") or ""]))
             for row in rows}
    for slug, words in TEXT_KEYWORDS.items():
        hits = [i for i, text in texts.items() if i not in sources and any(f" {w} " in text for w in words)]
        for article_id in rng.sample(sorted(hits), min(TEXT_PER_CAMPAIGN, len(hits))):
            sources.setdefault(article_id, []).append(f"text:{slug}")
    for slug, words in ALL_KEYWORDS.items():
        for article_id in sorted(i for i, text in texts.items() if i not in sources and any(f" {w} " in text for w in words)):
            sources.setdefault(article_id, []).append(f"all:{slug}")
    for article_id in sorted(sources):
        print(f"{article_id}\t{' '.join(sources[article_id])}")


if __name__ == "__main__":
    main()
