"""plugins.asset_urls: asset_url() gives content-addressed theme URLs; CSS url()s follow."""

import hashlib
import re
import shutil

import pytest

from conftest import ROOT, soup
from plugins.asset_urls.fingerprint import AssetFiles

ARTICLE = "Title: Bài viết\nDate: 22/06/2022\n\nNội dung.\n"


@pytest.fixture
def theme(tmp_path):
    """A copy of the theme whose base.html calls asset_url() and whose CSS uses a font."""
    target = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", target)
    base = target / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    text = re.sub(r'href="\{\{ SITEURL \}\}/theme/css/site\.css"', 'href="{{ asset_url(\'css/site.css\') }}"', text)
    assert "asset_url('css/site.css')" in text
    base.write_text(text, encoding="utf-8")
    (target / "static" / "fonts").mkdir(exist_ok=True)
    (target / "static" / "fonts" / "test.woff2").write_bytes(b"font-1")
    css = target / "static" / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8")
                   + '\n@font-face{font-family:T;src:url("../fonts/test.woff2") format("woff2")}\n'
                   + ".x{background:url(data:image/gif;base64,R0lGOD==)}\n", encoding="utf-8")
    return target


def sha(data, length=10):
    return hashlib.sha256(data).hexdigest()[:length]


def test_pages_link_theme_files_by_their_content(theme, make_content, build_site):
    content = make_content({"2022/06/bai-viet.md": ARTICLE})
    result = build_site(content, extra={"THEME": str(theme)})
    assert result.returncode == 0, result.log
    out = result.output
    css = (out / "theme" / "css" / "site.css").read_bytes()
    font_ref = f'url("../fonts/test.woff2?v={sha(b"font-1")}")'
    assert font_ref.encode() in css
    assert b"url(data:image/gif;base64,R0lGOD==)" in css
    # The page links the stylesheet with the hash of the very bytes served, relative in development.
    href = soup(out / "2022/06/22/bai-viet.html").find("link", rel="stylesheet")["href"]
    assert href == f"../../../theme/css/site.css?v={sha(css)}"
    assert soup(out / "index.html").find("link", rel="stylesheet")["href"] == f"./theme/css/site.css?v={sha(css)}"

    # A new font changes the font's URL and therefore the stylesheet's.
    (theme / "static" / "fonts" / "test.woff2").write_bytes(b"font-2")
    again = build_site(content, extra={"THEME": str(theme)})
    assert again.returncode == 0, again.log
    css2 = (again.output / "theme" / "css" / "site.css").read_bytes()
    assert f"test.woff2?v={sha(b'font-2')}".encode() in css2
    assert soup(again.output / "index.html").find("link", rel="stylesheet")["href"] == f"./theme/css/site.css?v={sha(css2)}"
    # The .gz copy is made from the rewritten stylesheet.
    import gzip
    assert gzip.decompress((again.output / "theme" / "css" / "site.css.gz").read_bytes()) == css2


def test_production_urls_are_absolute(theme, make_content, build_site):
    content = make_content({"2022/06/bai-viet.md": ARTICLE})
    result = build_site(content, settings=ROOT / "publishconf.py", extra={"THEME": str(theme)})
    assert result.returncode == 0, result.log
    href = soup(result.output / "index.html").find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"https://vinhyen\.vinhphuc\.gov\.vn/tin-tuc/theme/css/site\.css\?v=[0-9a-f]{10}", href)


def test_an_unknown_asset_fails_the_build_naming_it(theme, make_content, build_site):
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("asset_url('css/site.css')", "asset_url('css/khong-co.css')"),
                    encoding="utf-8")
    result = build_site(make_content({"2022/06/bai-viet.md": ARTICLE}), extra={"THEME": str(theme)})
    assert result.returncode != 0
    assert "asset_url: 'css/khong-co.css' is not a file" in result.log


@pytest.mark.parametrize("css, expected", [
    ("a{b:url(x.png)}", "a{b:url(x.png?v=%s)}"),
    ("a{b:url('x.png#f')}", "a{b:url('x.png?v=%s#f')}"),
    ('a{b:url( "x.png?k=1" )}', 'a{b:url("x.png?k=1&v=%s")}'),
    ("a{b:url(https://cdn.example/x.png)}", "a{b:url(https://cdn.example/x.png)}"),
    ("a{b:url(/x.png)}", "a{b:url(/x.png)}"),
    ("a{b:url(missing.png)}", "a{b:url(missing.png)}"),
    ("a{b:url(x.png?v=abc)}", "a{b:url(x.png?v=abc)}"),
])
def test_css_rewriting(tmp_path, css, expected):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "x.png").write_bytes(b"png")
    files = AssetFiles([tmp_path])
    result = files.rewrite_css("css/site.css", css)
    assert result == (expected % sha(b"png") if "%s" in expected else expected)
