"""Importing the old portal safely (issue 11): old URLs that would take a file of the new site
are not copied (item 2); TCVN3 and VNI text is converted or refused, never imported as mojibake (item 12)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from plugins.content_check.cli import load_settings
from plugins.legacy_import.importer import import_paths, read_metadata

FIXTURES = ROOT / "tests" / "fixtures" / "legacy"
PAGE = FIXTURES / "02-sharepoint-sapo-images.html"
OLD = "https://vinhyen.vinhphuc.gov.vn/Pages/tin-tuc-su-kien/khanh-thanh-cong-vien-hoang-hoa-tham-5107.aspx"


def page_with_url(tmp_path, name, url):
    html = PAGE.read_text(encoding="utf-8").replace(OLD, url)
    path = tmp_path / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("url, owner", [
    ("http://old.example/feeds/all.atom.xml", "FEED_ALL_ATOM"),
    ("http://old.example/theme/js/date-picker.js", "theme"),
    ("http://old.example/luu-tru/days.json", "luu-tru/"),
    ("http://old.example/2022/06/22/bai-cu.html", "ARTICLE_SAVE_AS"),
    ("http://old.example/trang/2/", "pages 2+"),
    ("http://old.example/redirects.map", "redirects map"),
    ("http://old.example/", "home page"),
])
def test_import_does_not_copy_a_colliding_old_url(tmp_path, url, owner):
    settings = load_settings(ROOT / "pelicanconf.py")
    outcome = import_paths([page_with_url(tmp_path, "trang.html", url)], tmp_path / "content",
                           settings=settings).outcomes[0]
    assert outcome.status == "imported", outcome
    meta = read_metadata(Path(outcome.article).read_text(encoding="utf-8"))
    assert "original_url" not in meta
    warning = next(w for w in outcome.warnings if "not kept as Original_URL" in w)
    assert url in warning and owner in warning


def test_import_keeps_a_harmless_old_url_and_refuses_a_second_copy(tmp_path):
    settings = load_settings(ROOT / "pelicanconf.py")
    one = page_with_url(tmp_path, "a.html", "http://old.example/tin-tuc/123/a.html")
    two = page_with_url(tmp_path, "b.html", "http://old.example/tin-tuc/123/a.html")
    two.write_text(two.read_text(encoding="utf-8").replace("Khánh thành", "Khai trương"), encoding="utf-8")
    first, second = import_paths([one.parent], tmp_path / "content", settings=settings).outcomes
    assert read_metadata(Path(first.article).read_text(encoding="utf-8"))["original_url"] == \
        "http://old.example/tin-tuc/123/a.html"
    assert first.article != second.article
    assert "original_url" not in read_metadata(Path(second.article).read_text(encoding="utf-8"))
    assert any("a.html has the same old URL" in w for w in second.warnings), second.warnings


def test_invoke_import_then_build_passes(tmp_path, build_site):
    """The CLI reads pelicanconf.py by default: the imported feed URL never reaches the build."""
    src = page_with_url(tmp_path, "trang.html", "http://old.example/feeds/all.atom.xml")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    run = subprocess.run([sys.executable, "-m", "plugins.legacy_import", str(src), "--content", str(content)],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "not kept as Original_URL" in run.stdout
    result = build_site(content)
    assert result.returncode == 0, result.log
    assert "<feed" in (result.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")


# --- item 12: TCVN3 and VNI ---------------------------------------------------------------------
# The fixtures are encoded here, from Unicode text, with encoders written for the tests: VNI from
# the Unicode decomposition of each letter (base + marks), TCVN3 by the byte table inverted.

import unicodedata  # noqa: E402

from plugins.legacy_import.legacy_charsets import TCVN3_TABLE, convert_legacy, from_tcvn3, from_vni  # noqa: E402

SEED = FIXTURES / "seed" / "ubnd-vinh-yen-binh-dang-gioi-2022-06-22.txt"
LOWER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
WITH_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
WITH_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
I_WITH_TONE = {"": "i", "\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_vni(text):
    out = []
    for char in text:
        if char in "đĐ":
            out.append("ñ" if char == "đ" else "Ñ")
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        if ord(char) < 128 or not marks:
            out.append(char)
            continue
        tone = next((m for m in marks if m in TONES), "")
        low = base.lower()
        if "\u0302" in marks:
            vni = low + WITH_CIRCUMFLEX[tone]
        elif "\u0306" in marks:
            vni = low + WITH_BREVE[tone]
        elif "\u031b" in marks:  # horn: ơ is the byte ô, ư the byte ö
            vni = ("ô" if low == "o" else "ö") + TONES.get(tone, "")
        elif low == "i":
            vni = I_WITH_TONE[tone]
        elif low == "y" and tone == "\u0323":
            vni = "î"
        else:
            vni = low + TONES[tone]
        out.append(vni.upper() if base.isupper() else vni)
    return "".join(out)


TO_TCVN3 = {letter: chr(byte) for byte, letter in TCVN3_TABLE.items()}


def to_tcvn3(text):
    # Capitals with a tone have no byte: the .VnTimeH font draws the lower-case ones.
    return "".join(TO_TCVN3.get(c, TO_TCVN3.get(c.lower(), c)) if ord(c) > 127 else c for c in text)


def test_every_vietnamese_letter_round_trips():
    upper = LOWER.upper().replace("Đ", "Đ")
    assert len(LOWER) == len(set(LOWER)) == 12 * 6 + 1  # 12 vowels x 6 tones, and đ
    for letters in (LOWER, upper):
        assert from_vni(to_vni(letters)) == letters
    assert from_tcvn3(to_tcvn3(LOWER + "ĂÂÊÔƠƯĐ")) == LOWER + "ĂÂÊÔƠƯĐ"


@pytest.mark.parametrize("legacy, unicode_text, name", [
    ("Thµnh phè VÜnh Yªn", "Thành phố Vĩnh Yên", "TCVN3"),         # as issue 11 saw it imported
    ("Tieáng Vieät", "Tiếng Việt", "VNI"),                           # the classic VNI sample
    ("UÛY BAN NHAÂN DAÂN THAØNH PHOÁ VÓNH YEÂN", "ỦY BAN NHÂN DÂN THÀNH PHỐ VĨNH YÊN", "VNI"),
])
def test_known_samples(legacy, unicode_text, name):
    assert convert_legacy(" - ".join([legacy] * 6)) == (" - ".join([unicode_text] * 6), name)


def test_unicode_vietnamese_is_left_alone():
    text = SEED.read_text(encoding="utf-8") + " 30°C, ±5%, m², « trích dẫn », Hélène"
    assert convert_legacy(text) == (text, "")


def _seed_text():
    return SEED.read_text(encoding="utf-8").replace("…", "...")


@pytest.mark.parametrize("name, encode", [("tcvn3", to_tcvn3), ("vni", to_vni)])
def test_legacy_text_dump_imports_like_its_unicode_original(tmp_path, name, encode):
    text = _seed_text()  # its only capital outside ASCII is Đ, which TCVN3 has
    (tmp_path / "src").mkdir()
    original = tmp_path / "src" / "goc.txt"
    original.write_text(text, encoding="utf-8")
    legacy = tmp_path / "src" / f"{name}.txt"
    legacy.write_bytes(encode(text).encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        legacy.read_bytes().decode("utf-8")  # single bytes, not UTF-8
    want = import_paths([original], tmp_path / "c1").outcomes[0]
    got = import_paths([legacy], tmp_path / "c2").outcomes[0]
    assert got.status == "imported", got
    strip = lambda md: [line for line in Path(md).read_text(encoding="utf-8").splitlines()  # noqa: E731
                        if not line.startswith("Imported_From:")]
    assert strip(got.article) == strip(want.article)
    assert any(f"converted from {name.upper()}" in w for w in got.warnings), got.warnings
    assert "thành phố Vĩnh Yên" in Path(got.article).read_text(encoding="utf-8")


def test_vni_page_declared_iso_8859_1_imports_like_its_unicode_original(tmp_path):
    page = (FIXTURES / "09-news-detail-bold-signature.html").read_text(encoding="utf-8")
    page = page.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}))
    assert all(ord(c) < 0x100 or unicodedata.normalize("NFD", c)[0].isascii() or c in "đĐ" for c in page)
    (tmp_path / "src").mkdir()
    original = tmp_path / "src" / "goc.html"
    original.write_text(page, encoding="utf-8")
    legacy = tmp_path / "src" / "vni.html"
    declared = re.sub(r'charset=["\']?[\w-]+', "charset=iso-8859-1", to_vni(page), count=1)
    legacy.write_bytes(declared.encode("latin-1"))
    want = import_paths([original], tmp_path / "c1").outcomes[0]
    got = import_paths([legacy], tmp_path / "c2").outcomes[0]
    assert want.status == got.status == "imported", (want, got)
    strip = lambda md: [line for line in Path(md).read_text(encoding="utf-8").splitlines()  # noqa: E731
                        if not line.startswith("Imported_From:")]
    assert strip(got.article) == strip(want.article)
    assert "converted from VNI (VNI-Windows, VNI-Times fonts) to Unicode" in got.warnings


def test_an_unexplained_legacy_encoding_is_refused_with_a_clear_message(tmp_path):
    dump = tmp_path / "nga.txt"
    text = "Привет из Москвы, жители города\n\n22/06/2022\n\nСегодня в городе прошёл большой праздник для всех.\n"
    dump.write_bytes(text.encode("koi8-r"))
    outcome = import_paths([dump], tmp_path / "content").outcomes[0]
    assert outcome.status == "failed"
    assert "legacy font encoding" in outcome.reason and "UTF-8" in outcome.reason
    assert not (tmp_path / "content").exists()
