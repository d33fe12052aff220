"""The staff area is built from the tools each app registers (ADR 0026): accounts imports no
other part of NHS Citizen, each role sees exactly its own tools, and counting waiting work
costs the same queries however much is waiting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from nhs_citizen.accounts.models import RoleAssignment
from nhs_citizen.accounts.staff_tools import (
    WAITING_CAP,
    StaffTool,
    registered_tools,
    waiting_words,
)
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.services.organisations import check_request_membership
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for

ACCOUNTS = Path(__file__).resolve().parent.parent
DOMAIN_APPS = (
    "assembly",
    "culture",
    "discover",
    "gather",
    "meetings",
    "moderation",
    "panels",
    "tracker",
)


def _accounts_sources() -> list[Path]:
    return [
        path
        for path in ACCOUNTS.rglob("*.py")
        if "tests" not in path.relative_to(ACCOUNTS).parts
        and "migrations" not in path.relative_to(ACCOUNTS).parts
    ]


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_accounts_imports_no_other_part_of_nhs_citizen():
    sources = _accounts_sources()
    assert len(sources) > 5  # the scan found the app's modules
    found = []
    for path in sources:
        for module in _imported_modules(path):
            parts = module.split(".")
            if parts[0] == "nhs_citizen" and len(parts) > 1 and parts[1] in DOMAIN_APPS:
                found.append(f"{path.relative_to(ACCOUNTS)} imports {module}")
    assert found == []


def test_accounts_templates_link_to_no_other_part_of_nhs_citizen():
    found = []
    pattern = re.compile(r"""url\(\s*['"](\w+):""")
    for path in (ACCOUNTS / "jinja2").rglob("*.jinja"):
        for namespace in pattern.findall(path.read_text()):
            if namespace in DOMAIN_APPS:
                found.append(f"{path.name} links to {namespace}")
    assert found == []


def test_the_scan_would_catch_an_import_of_gather(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "from nhs_citizen.gather.presenters import flag_cards\nimport nhs_citizen.tracker\n"
    )
    assert {"nhs_citizen.gather.presenters", "nhs_citizen.tracker"} <= _imported_modules(module)


# Each role sees exactly its tools -----------------------------------------------------------------

EXPECTED = {
    "curator": {"gather.curate", "discover.pipeline", "discover.upload", "culture.story_queue"},
    "moderator": {"moderation.queue", "assisted.activity"},
    "review_panel": {"gather.review_queue"},
    "secretariat": {
        "panels.panel_list",
        "assembly.index",
        "tracker.your_commitments",
        "accounts.format_requests",
        "assisted.paper_forms",
    },
    "board_member": {"tracker.board_queue", "tracker.your_commitments"},
    "administrator": {
        "accounts.people",
        "core.membership_requests",
        "core.full_audit_log",
        "moderation.queue",
    },
    # A responder is a member of their body, so they may add notes from its events too.
    "responder": {
        "gather.referral_queue",
        "gather.open_call",
        "tracker.your_commitments",
        "discover.upload",
    },
}


def _person_with(role: str):
    if role == "responder":
        return responder_for(Organisation.objects.get(type="icb", code="QWO"))
    return make_user(next_email(role), roles=(role,))


def test_every_registered_tool_belongs_to_some_role():
    registered = {tool.key for tool in registered_tools()}
    assert registered == set().union(*EXPECTED.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_tools_and_can_open_each(client, signed_in, role):
    person = _person_with(role)
    signed_in(person)
    response = client.get(reverse("accounts:staff_area"))
    assert response.status_code == 200
    tools = response.context["area"].tools
    assert {tool.key for tool in tools} == EXPECTED[role]
    html = response.content.decode()
    content = html[html.index("<main") : html.index("</main>")]
    for tool in registered_tools():
        shown = tool.key in EXPECTED[role]
        assert (f'href="{tool.href}"' in content) is shown, tool.key
    for tool in tools:
        assert client.get(tool.href).status_code == 200, tool.key


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_no_role_is_offered_a_tool_it_is_refused(role):
    """The other way round: every tool another role has is refused or not offered."""
    person = _person_with(role)
    for tool in registered_tools():
        assert person.has_perm(tool.permission) is (tool.key in EXPECTED[role]), tool.key


@pytest.mark.django_db
def test_citizens_and_organisation_members_have_no_staff_area(client, signed_in):
    citizen = make_user(next_email("citizen"))
    signed_in(citizen)
    assert client.get(reverse("accounts:staff_area")).status_code == 403


# Waiting work --------------------------------------------------------------------------------------


def test_waiting_words():
    assert waiting_words(0, ("flag", "flags")) == "Nothing waiting"
    assert waiting_words(1, ("flag", "flags")) == "1 flag waiting"
    assert waiting_words(7, ("story", "stories")) == "7 stories waiting"
    assert waiting_words(WAITING_CAP, ("flag", "flags")) == f"{WAITING_CAP} flags waiting"
    assert waiting_words(WAITING_CAP + 1, ("flag", "flags")) == "More than 99 flags waiting"


def test_a_tool_without_a_waiting_count_links_with_its_query_string():
    tool = StaffTool(
        key="example",
        title="Example",
        description="An example.",
        url_name="accounts:people",
        permission="accounts.manage_roles",
        query_string="q=a",
    )
    assert tool.href == reverse("accounts:people") + "?q=a"


class Waiting:
    """One person who reviews, answers for an ICB and checks membership requests, and work
    waiting for each."""

    def __init__(self):
        self.icb = Organisation.objects.get(type="icb", code="QWO")
        self.person = responder_for(self.icb)
        for role in ("review_panel", "administrator", "curator"):
            RoleAssignment.objects.create(user=self.person, role=role)
        self.person.__dict__.pop("staff_roles", None)
        self.curator = make_user(next_email("curator"), roles=("curator",))
        self.size = 0

    def grow_to(self, n: int) -> None:
        for i in range(self.size, n):
            flag = raise_flag(title=f"Waiting flag {i}")
            flag_services.check_put_forward(curator=self.curator, flag=flag, reason="Ready")
            check_request_membership(
                user=make_user(next_email("asker")),
                organisation=self.icb,
                role="member",
                job_title="Volunteer",
            )
        self.size = n


@pytest.mark.django_db
def test_the_staff_area_counts_waiting_work_with_the_same_queries_at_5_and_50(
    client, signed_in, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    waiting = Waiting()
    signed_in(waiting.person)
    waiting.grow_to(5)
    with CaptureQueriesContext(connection) as at_5:
        response = client.get(reverse("accounts:staff_area"))
    content = response.content.decode()
    assert "5 flags waiting" in content and "5 requests waiting" in content
    waiting.grow_to(50)
    with django_assert_max_num_queries(len(at_5.captured_queries)):
        response = client.get(reverse("accounts:staff_area"))
    content = response.content.decode()
    assert "50 flags waiting" in content and "50 requests waiting" in content


@pytest.mark.django_db
def test_the_count_stops_at_the_cap(client, signed_in, monkeypatch):
    from nhs_citizen.accounts import staff_tools

    monkeypatch.setattr(staff_tools, "WAITING_CAP", 3)
    waiting = Waiting()
    waiting.grow_to(4)
    signed_in(waiting.person)
    content = client.get(reverse("accounts:staff_area")).content.decode()
    assert "More than 3 flags waiting" in content
