"""Law library pages: list, contents, chapters, article permalinks (之一 too), previous/next, print, 404."""

from __future__ import annotations

from quizapp.laws.services import import_law_file
from tests.conftest import ROOT
from tests.laws.factories import SAFETY_LAW, SAMPLE_2020, SAMPLE_2022


def test_the_list_shows_every_imported_law(client, library):
    page = client.get("/laws").get_data(as_text=True)
    assert all(title in page for title in ("中华人民共和国安全生产法", "中华人民共和国消防法", "生产安全事故报告和调查处理条例"))
    assert f'href="/laws/{SAFETY_LAW}"' in page and "共 119 条" in page


def test_the_list_with_a_trailing_slash_redirects_to_its_one_address(client, library):
    with_slash = client.get("/laws/")
    assert with_slash.status_code == 301 and with_slash.location.endswith("/laws")
    assert "中华人民共和国安全生产法" in client.get("/laws/", follow_redirects=True).get_data(as_text=True)


def test_contents_link_every_chapter_and_article(client, library):
    page = client.get(f"/laws/{SAFETY_LAW}").get_data(as_text=True)
    assert "第三章 从业人员的安全生产权利义务" in page and f'href="/laws/{SAFETY_LAW}/chapters/3"' in page
    assert all(f'href="/laws/{SAFETY_LAW}/{number}"' in page for number in range(1, 120))
    assert "2021年6月10日" in page  # revision notes


def test_a_chapter_page_shows_its_articles_only(client, library):
    page = client.get(f"/laws/{SAFETY_LAW}/chapters/3").get_data(as_text=True)
    assert "第三章 从业人员的安全生产权利义务" in page
    assert "第五十二条" in page and "第六十一条" in page and "第五十一条" not in page and "第六十二条" not in page


def test_an_article_permalink_shows_the_text_with_previous_and_next(client, library):
    response = client.get(f"/laws/{SAFETY_LAW}/28")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "《安全生产法》第二十八条" in page and "生产经营单位应当对从业人员进行安全生产教育和培训" in page
    assert f'rel="prev" href="/laws/{SAFETY_LAW}/27"' in page and f'rel="next" href="/laws/{SAFETY_LAW}/29"' in page


def test_the_first_and_last_articles_have_one_neighbour(client, library):
    first = client.get(f"/laws/{SAFETY_LAW}/1").get_data(as_text=True)
    last = client.get(f"/laws/{SAFETY_LAW}/119").get_data(as_text=True)
    assert 'rel="prev"' not in first and f'rel="next" href="/laws/{SAFETY_LAW}/2"' in first
    assert 'rel="next"' not in last and f'rel="prev" href="/laws/{SAFETY_LAW}/118"' in last


def test_items_are_shown_as_items(client, library):
    page = client.get(f"/laws/{SAFETY_LAW}/21").get_data(as_text=True)
    assert page.count('class="law-item"') == 7


def test_a_missing_article_law_or_chapter_is_a_404_page(client, library):
    for url in (f"/laws/{SAFETY_LAW}/120", f"/laws/{SAFETY_LAW}/28-1", "/laws/no-such-law", f"/laws/{SAFETY_LAW}/chapters/8"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "<html" in response.get_data(as_text=True)


def test_zhi_yi_articles_are_addressed_number_dash_suffix_and_sit_between_their_neighbours(client):
    import_law_file(SAMPLE_2020)
    response = client.get("/laws/shili-anquan-fa/2-1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "第二条之一" in page and "前款规定的承诺每年更新一次。" in page
    assert 'rel="prev" href="/laws/shili-anquan-fa/2"' in page and 'rel="next" href="/laws/shili-anquan-fa/3"' in page
    assert 'rel="next" href="/laws/shili-anquan-fa/2-1"' in client.get("/laws/shili-anquan-fa/2").get_data(as_text=True)


def test_sections_and_the_article_position_show_on_chapter_and_article_pages(client):
    import_law_file(SAMPLE_2020)
    chapter = client.get("/laws/shili-anquan-fa/chapters/2").get_data(as_text=True)
    article = client.get("/laws/shili-anquan-fa/4").get_data(as_text=True)
    assert "第一节 一般责任" in chapter and "第二节 特别责任" in chapter
    assert "第二章 责任 · 第二节 特别责任" in article


def test_a_superseded_version_stays_readable_and_says_so(client):
    import_law_file(SAMPLE_2020)
    import_law_file(SAMPLE_2022)
    assert client.get("/laws/shili-anquan-fa/4").status_code == 404  # removed by the revision in force
    old = client.get("/laws/shili-anquan-fa/4?version=1")
    assert old.status_code == 200 and "旧版本" in old.get_data(as_text=True)
    current = client.get("/laws/shili-anquan-fa/3").get_data(as_text=True)
    assert "责令限期改正" in current and "旧版本" not in current
    contents = client.get("/laws/shili-anquan-fa").get_data(as_text=True)
    assert "（现行）" in contents and "（已修订）" in contents


def test_the_print_view_has_the_whole_text_without_practice(client, library):
    page = client.get(f"/laws/{SAFETY_LAW}/print").get_data(as_text=True)
    assert page.count('class="law-label"') == 119
    assert page.count("law-chapter") == 7 and "练一练" not in page


def test_the_print_view_has_a_print_button_without_inline_script_and_a_way_back(client, library):
    page = client.get(f"/laws/{SAFETY_LAW}/print").get_data(as_text=True)
    assert 'data-print' in page and 'src="/static/print.js?v=' in page
    assert "onclick" not in page and "<script>" not in page
    assert f'href="/laws/{SAFETY_LAW}"' in page and "返回" in page
    script = client.get("/static/print.js")
    assert script.status_code == 200 and b"window.print()" in script.data
    script.close()


def test_print_css_hides_the_site_nav_and_the_print_controls():
    css = (ROOT / "quizapp" / "static" / "site.css").read_text(encoding="utf-8")
    print_rules = css.split("@media print", 1)[1].split("}", 1)[0]
    assert ".site-nav" in print_rules and ".print-controls" in print_rules


def test_a_version_number_past_any_integer_column_is_a_404_not_an_overflow(client, library):
    """Found by review: ``?version=`` beyond 2⁶³ was OverflowError (SQLite) / NumericValueOutOfRange (PostgreSQL)."""
    for version in ("2147483648", "9223372036854775808", "99999999999999999999", "0", "-1"):
        for path in (f"/laws/{SAFETY_LAW}", f"/laws/{SAFETY_LAW}/1", f"/laws/{SAFETY_LAW}/chapters/1", f"/laws/{SAFETY_LAW}/print"):
            assert client.get(f"{path}?version={version}").status_code == 404, (path, version)
    assert client.get(f"/laws/{SAFETY_LAW}/1?version=1").status_code == 200
