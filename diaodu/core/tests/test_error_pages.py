"""Error pages (400, 403, 404, 500, and the expired form) in production mode: in the site's
layout, in the reader's language, with a way back home and to the previous page; the 403
says what the reader's role may do instead. The 400 and 500 pages are drawn without the
request (and so without the database), like Django draws them."""

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from diaodu.accounts.access import what_you_may_do
from diaodu.test import client_for

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "zh-hant", "en"]
TITLES = {
    400: {"zh-hans": "无法受理此次提交", "zh-hant": "無法受理此次提交",
          "en": "This request could not be accepted"},
    403: {"zh-hans": "您无权打开此页面", "zh-hant": "您無權開啟此頁面",
          "en": "You may not open this page"},
    404: {"zh-hans": "页面不存在", "zh-hant": "頁面不存在", "en": "Page not found"},
    500: {"zh-hans": "系统出错了", "zh-hant": "系統出錯了",
          "en": "Something went wrong on our side"},
}  # fmt: skip
HOME = {"zh-hans": "首页", "zh-hant": "首頁", "en": "Home page"}


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_error_page(response, status, language):
    assert response.status_code == status
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'class="navbar' in page, "in the site's layout"
    assert f'<h1 class="h4">{TITLES[status][language]}</h1>' in page
    assert f'href="/"><i class="bi bi-house" aria-hidden="true"></i> {HOME[language]}</a>' in page
    assert "data-back" in page
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    assert "Content-Security-Policy" in response.headers
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_that_does_not_exist_says_so_in_the_site_layout(world, language):
    response = client_for(world.staff_a, language).get("/no-such-page/")

    page = assert_error_page(response, 404, language)
    assert world.staff_a.display_name in page, "the menu of a logged-in reader"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_forbidden_page_says_what_the_role_may_do_instead(world, language):
    response = client_for(world.staff_a, language).get(reverse("projects:project_create"))

    page = assert_error_page(response, 403, language)
    assert "403 Forbidden" not in page
    with translation.override(language):
        assert what_you_may_do(world.staff_a) in page
    assert "区资规局" in page


@pytest.mark.parametrize(
    ("persona", "words"),
    [
        ("admin", "including managing people"),
        ("coordinator", "every project, milestone, meeting"),
        ("leader", "give instructions"),
        ("staff_a", "assigned to 区资规局 from your desk"),
        ("owner_x", "on the projects of 绿源水务"),
    ],
)
def test_each_role_is_told_in_one_sentence_what_it_may_do(world, persona, words):
    with translation.override("en"):
        sentence = what_you_may_do(getattr(world, persona))

    assert words in sentence
    assert sentence.count(".") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_the_site_cannot_accept_gets_the_400_page(world, language):
    client = client_for(world.staff_a, language)

    response = client.get(reverse("projects:project_list"), headers={"host": "evil.example"})

    assert_error_page(response, 400, language)


@pytest.mark.urls("diaodu.core.tests.urls_failing")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failing_page_gets_the_500_page_without_touching_the_database(
    world, language, django_assert_num_queries
):
    client = client_for(world.staff_a, language)
    client.raise_request_exception = False

    with django_assert_num_queries(0):
        response = client.get("/failing/")

    page = assert_error_page(response, 500, language)
    assert world.staff_a.display_name not in page, "no user: nothing that could fail again"


def test_the_500_page_draws_with_no_context_at_all():
    with translation.override("zh-hans"):
        page = get_template("500.html").render()

    assert TITLES[500]["zh-hans"] in page
    assert 'name="language"' not in page, "no language form without a token to send"


def test_a_form_sent_after_it_expired_gets_a_page_that_says_so(world):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(world.coordinator)

    response = client.post(reverse("projects:project_create"), {"name": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert 'class="navbar' in page
