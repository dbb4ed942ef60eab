"""plugins.quick_exit: a finished build's objects are frozen out of the cyclic collector, and
the next build in the same process makes them collectable again.

In process, on real builds of a two-article site with the repository's settings: the test
holds one article object and asks the collector where it is (``gc.get_objects()`` lists the
collectable generations, not the frozen one)."""

import gc

import pytest

from conftest import ROOT

ARTICLE = """Title: {title}
Date: {date} 09:00
Category: Tin tức - Sự kiện
Author: Quang Huy

Ủy ban nhân dân thành phố Vĩnh Yên tổ chức hội nghị triển khai nhiệm vụ năm {year}.
"""


def _tracked(value):
    return any(item is value for item in gc.get_objects())


@pytest.fixture
def thawed():
    yield
    gc.unfreeze()  # leave the test process as it was


def test_build_objects_frozen_then_thawed_by_next_build(tmp_path, make_content, thawed):
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    content = make_content({
        "2022/06/tin-mot.md": ARTICLE.format(title="Hội nghị triển khai nhiệm vụ", date="22/06/2022", year=2022),
        "2023/01/tin-hai.md": ARTICLE.format(title="Tổng kết công tác năm", date="05/01/2023", year=2023),
    })
    seen = {}

    def grab(generator):
        seen.setdefault("articles", list(generator.articles))

    def during_second_build(generator):
        if "first_done" in seen and "during" not in seen:
            seen["during"] = (gc.get_freeze_count(), _tracked(seen["articles"][0]))

    # conftest's autouse fixture disconnects the receivers these builds connect.
    signals.article_generator_finalized.connect(grab)
    signals.article_generator_preread.connect(during_second_build)
    gc.unfreeze()
    for run in range(2):
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(tmp_path / f"out-{run}"), "CACHE_PATH": str(tmp_path / "cache"),
        })
        assert "plugins.quick_exit" in settings["PLUGINS"]
        Pelican(settings).run()
        assert (tmp_path / f"out-{run}" / "index.html").is_file()
        article = seen["articles"][0]
        # Finished: the build's objects are in the permanent generation, out of every walk.
        assert gc.get_freeze_count() > 0
        assert not _tracked(article)
        assert gc.is_tracked(article)  # still a container the collector knows, just frozen
        seen["first_done"] = True

    # The second build began by giving the first build's objects back to the collector.
    frozen_during, article_tracked_during = seen["during"]
    assert frozen_during == 0
    assert article_tracked_during
