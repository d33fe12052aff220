"""Streamed open-data files, keyset pages and cached counts."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import RequestFactory

from nhs_citizen.core import counting, streaming
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.models.organisations import OrganisationType
from nhs_citizen.core.pagination import keyset_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def charities():
    return Organisation.objects.bulk_create(
        Organisation(
            name=f"Charity {n:03d}", slug=f"charity-{n:03d}", type=OrganisationType.CHARITY
        )
        for n in range(57)
    )


def _request(**params):
    return RequestFactory().get("/list/", params)


def test_iterate_keyset_yields_every_row_once_in_key_order(charities):
    queryset = Organisation.objects.filter(type=OrganisationType.CHARITY)
    rows = list(streaming.iterate_keyset(queryset, chunk_size=10))
    assert [row.pk for row in rows] == sorted(c.pk for c in charities)


def test_iterate_keyset_works_for_values_and_values_list(charities):
    queryset = Organisation.objects.filter(type=OrganisationType.CHARITY)
    as_dicts = list(streaming.iterate_keyset(queryset.values("pk", "name"), chunk_size=7))
    as_tuples = list(streaming.iterate_keyset(queryset.values_list("pk", "name"), chunk_size=7))
    assert len(as_dicts) == len(as_tuples) == 57
    assert [d["name"] for d in as_dicts] == [t[1] for t in as_tuples]


def test_json_document_is_one_valid_object_with_the_head_and_every_item():
    items = ({"n": n, "text": "café ✓"} for n in range(5000))
    body = b"".join(
        streaming.json_document({"licence": streaming.OPEN_DATA_LICENCE}, "rows", items)
    )
    data = json.loads(body)
    assert data["licence"]["name"].startswith("Open Government Licence")
    assert len(data["rows"]) == 5000 and data["rows"][-1] == {"n": 4999, "text": "café ✓"}


def test_json_document_with_no_items_is_still_valid():
    assert json.loads(b"".join(streaming.json_document({"a": 1}, "rows", []))) == {
        "a": 1,
        "rows": [],
    }


def test_json_document_comes_in_pieces_not_all_at_once():
    chunks = list(streaming.json_document({}, "rows", ({"n": "x" * 100} for _ in range(5000))))
    assert len(chunks) > 5


def test_json_lines_gives_one_object_per_line():
    body = b"".join(streaming.json_lines({"n": n} for n in range(3))).decode()
    assert [json.loads(line) for line in body.splitlines()] == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_csv_rows_start_with_a_byte_order_mark_and_quote_properly():
    body = b"".join(streaming.csv_rows(["a", "b"], [["x, y", 'say "hi"'], [1, 2]])).decode("utf-8")
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.lstrip("\ufeff")))) == [
        ["a", "b"],
        ["x, y", 'say "hi"'],
        ["1", "2"],
    ]


def test_download_is_streamed_with_a_file_name():
    response = streaming.download(iter([b"{}"]), streaming.JSON, "x.json")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.json"'


def test_keyset_pages_walk_forwards_and_back_without_gaps_or_repeats(charities):
    queryset = Organisation.objects.filter(type=OrganisationType.CHARITY)
    ordering = ("-name", "pk")
    seen = []
    page, params = keyset_page(_request(), queryset, ordering, per_page=10)
    pages = [page]
    while page.has_next:
        seen.extend(o.name for o in page)
        token = params["next"]["href"].split("after=")[1]
        page, params = keyset_page(_request(after=_unquote(token)), queryset, ordering, per_page=10)
        pages.append(page)
    seen.extend(o.name for o in page)
    assert seen == sorted((c.name for c in charities), reverse=True)
    assert [p.number for p in pages] == [1, 2, 3, 4, 5, 6]
    # And back again from the last page.
    token = params["previous"]["href"].split("before=")[1]
    back, _ = keyset_page(_request(before=_unquote(token)), queryset, ordering, per_page=10)
    assert [o.name for o in back] == [o.name for o in pages[-2]]
    assert back.number == 5


def test_a_single_page_has_no_pagination(charities):
    page, params = keyset_page(_request(), Organisation.objects.filter(name="Charity 001"), ("pk",))
    assert params is None and len(page) == 1


def test_an_altered_token_shows_the_first_page(charities):
    queryset = Organisation.objects.filter(type=OrganisationType.CHARITY)
    page, _ = keyset_page(_request(after="not-a-real-token"), queryset, ("name", "pk"), per_page=5)
    assert [o.name for o in page] == [f"Charity {n:03d}" for n in range(5)]
    assert page.number == 1 and not page.has_previous


def test_keyset_ordering_must_end_with_the_key():
    with pytest.raises(ValueError):
        keyset_page(_request(), Organisation.objects.all(), ("name",))


def test_each_keyset_page_costs_one_query(charities, django_assert_num_queries):
    queryset = Organisation.objects.filter(type=OrganisationType.CHARITY)
    _, params = keyset_page(_request(), queryset, ("name", "pk"), per_page=10)
    token = _unquote(params["next"]["href"].split("after=")[1])
    with django_assert_num_queries(1):
        keyset_page(_request(after=token), queryset, ("name", "pk"), per_page=10)


def test_cached_count_counts_once_until_it_expires(charities, django_assert_num_queries):
    queryset = Organisation.objects.filter(type=OrganisationType.CHARITY)
    assert counting.cached_count(queryset) == 57
    Organisation.objects.filter(slug="charity-000").delete()
    with django_assert_num_queries(0):
        assert counting.cached_count(queryset) == 57
    counting.forget_count(counting._key_for(queryset))
    assert counting.cached_count(queryset) == 56


def test_estimated_count_is_close_to_the_real_count(charities):
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_organisation")
    assert abs(counting.estimated_count(Organisation) - Organisation.objects.count()) <= 5


def _unquote(value: str) -> str:
    from urllib.parse import unquote

    return unquote(value)
