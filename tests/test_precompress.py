"""plugins.precompress: X.gz beside every text file, byte-identical between builds, claimed."""

import gzip
import os

import pytest

from conftest import SITES
from plugins.precompress import gzipped

TEXT = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".map")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import run_build

    base = tmp_path_factory.mktemp("precompress")
    first = run_build(SITES / "dates" / "content", base / "one", extra={"SCHEDULE_NOW": "01/03/2023 08:00"})
    assert first.returncode == 0, first.log
    second = run_build(SITES / "dates" / "content", base / "two", extra={"SCHEDULE_NOW": "01/03/2023 08:00"})
    assert second.returncode == 0, second.log
    return first.output, second.output


def files(root, suffixes):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name.endswith(suffixes))


def test_every_text_file_has_its_gzip_copy(built):
    root = built[0]
    texts = files(root, TEXT)
    assert len(texts) > 20
    smaller = 0
    for rel in texts:
        data = (root / rel).read_bytes()
        packed = root / f"{rel}.gz"
        assert packed.is_file(), rel
        raw = packed.read_bytes()
        assert gzip.decompress(raw) == data
        assert raw[3] == 0, rel  # header flags: no file name, no comment
        assert raw[4:8] == b"\0\0\0\0", rel  # mtime 0
        smaller += len(raw) < len(data)
    assert smaller > 20
    article = next(root.glob("20*/*/*/*.html"))
    assert (root / f"{article.relative_to(root)}.gz").stat().st_size < article.stat().st_size / 2
    # Every .gz has its file beside it; nothing but text is compressed.
    for rel in files(root, (".gz",)):
        assert rel[:-3] in texts


def test_gzip_copies_are_byte_identical_between_builds(built):
    one, two = built
    names = files(one, (".gz",))
    assert names == files(two, (".gz",))
    assert all((one / n).read_bytes() == (two / n).read_bytes() for n in names)


def test_a_content_file_named_like_a_gzip_copy_fails_naming_both(make_content, build_site):
    svg = "<svg xmlns='http://www.w3.org/2000/svg'>" + "<rect width='1' height='1'/>" * 40 + "</svg>"
    content = make_content({
        "2022/06/bai.md": "Title: Bài\nDate: 22/06/2022\n\nNội dung.\n",
        "images/logo.svg": svg,
        "images/logo.svg.gz": gzip.compress(b"something else"),
    })
    result = build_site(content)
    assert result.returncode != 0
    line = next(ln for ln in result.log.splitlines() if "images/logo.svg.gz" in ln and "build_guard" in ln)
    assert "the gzip copy of images/logo.svg" in line


def test_a_copy_is_replaced_when_the_file_changes(tmp_path):
    (tmp_path / "a.txt").write_text("x" * 1000)
    gzipped.write_gzipped(str(tmp_path), "a.txt", 9)
    (tmp_path / "a.txt").write_text("ngắn")
    gzipped.write_gzipped(str(tmp_path), "a.txt", 9)
    assert gzip.decompress((tmp_path / "a.txt.gz").read_bytes()) == "ngắn".encode()
    assert not [n for n in os.listdir(tmp_path) if ".tmp" in n]


def test_can_be_switched_off(make_content, build_site):
    content = make_content({"2022/06/bai.md": "Title: Bài\nDate: 22/06/2022\n\nNội dung.\n"})
    result = build_site(content, extra={"PRECOMPRESS_ENABLED": False})
    assert result.returncode == 0, result.log
    assert not list(result.output.rglob("*.gz"))


def test_files_are_shared_with_new_interpreters_and_their_failures_reported(tmp_path):
    """compress_output's shares: the first here, the others in new interpreters (not forks of
    the build), same bytes as one process; a share that fails names its error."""
    from plugins.parallel_output.fresh_process import run_in_fresh_processes
    from plugins.precompress.precompress import compress_files

    names = [f"trang-{n}.html" for n in range(7)]
    for n, name in enumerate(names):
        (tmp_path / name).write_text(f"<p>Tin số {n}</p>" * (n + 1), encoding="utf-8")
    run_in_fresh_processes(names, 3, compress_files, str(tmp_path), 9)
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert (tmp_path / f"{name}.gz").read_bytes() == gzipped.gzip_bytes(data, 9)
    with pytest.raises(RuntimeError, match="FileNotFoundError") as failed:
        run_in_fresh_processes(["a.html", "khong-co.html"], 2, compress_files, str(tmp_path), 9)
    assert "khong-co.html" in str(failed.value) and "a.html" in str(failed.value)
