"""Every page of the site, for every role: the URL conf walked, a small world to fill in the
parts of each address, and the people who look at them.

A page without parts in its address (``/tracker/``) is covered as soon as it is in the URL
conf. A page with parts (``/gather/flags/<pk>/``) needs its parts in ``page_arguments``: a page
added without them makes ``test_every_page_has_its_arguments`` fail, naming it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# One long unbroken word, as people do type them: a title or name that must wrap, not scroll.
LONG_WORD = "Hospitalparkingchargesareunfairforcarersandvisitorsandtheyshouldbescrapped"


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, as reverse() takes it
    route: str  # the pattern, for messages
    arguments: tuple[str, ...]


def routes() -> list[Route]:
    """Every named URL in the URL conf, with the names of the parts of its address."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None, arguments: tuple) -> None:
        for pattern in patterns:
            parts = arguments + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, parts)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(Route(name, prefix + str(pattern.pattern), parts))

    walk(get_resolver().url_patterns, "", None, ())
    return [route for route in found if not _is_data(route)]


def _is_data(route: Route) -> bool:
    """Files and feeds for programs, not pages to read: the open API (only its docs page is a
    page), Atom feeds and the daily open-data files."""
    if route.name.startswith("api:"):
        return route.name != "api:openapi-view"
    return route.route.endswith(".atom") or route.name in (
        "core:open_data_snapshot_file",
        "conversations:download",
    )


# allauth's own pages that need a key from an e-mail (or a sign-in in progress): they are
# seen in the sign-in journeys, not here.
NEEDS_A_KEY_FROM_AN_EMAIL = {
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "account_confirm_password_reset_code",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_trust",
}


@dataclass
class World:
    """One of everything a page can show, made small, through the apps' own services."""

    people: dict  # role key -> user
    objects: dict  # what the pages' addresses point at


def build_world() -> World:
    """About a second of set-up: no demo data, one flag with a long unbroken title that is
    referred, answered and committed to, one Assembly cycle with its meeting, one drawn panel,
    one story, and a few Discover topics."""
    from nhs_citizen.conftest import make_user
    from nhs_citizen.core.services.organisations import check_request_membership
    from nhs_citizen.culture.tests.factories import published_story
    from nhs_citizen.discover.models import Item, PendingUpload, Source, Topic
    from nhs_citizen.discover.services import figures
    from nhs_citizen.discover.tests.test_query_counts import _grow_to
    from nhs_citizen.gather.models import Outcome
    from nhs_citizen.gather.services import flags as flag_services
    from nhs_citizen.gather.tests.factories import raise_flag, responder_for
    from nhs_citizen.meetings.models import PackDocument, RemotePost
    from nhs_citizen.moderation.services import check_hide, check_report
    from nhs_citizen.panels.tests import factories as panel_factories
    from nhs_citizen.tracker.models import CommitmentStatus
    from nhs_citizen.tracker.services import commitments as commitment_services
    from nhs_citizen.tracker.services.stocktake import do_generate_stocktake
    from nhs_citizen.tracker.tests import factories as tracker

    icb = tracker.icb()
    citizen = make_user("reflow-citizen@example.com", display_name="Chris Citizen")
    people = {
        "citizen": citizen,
        "member": _member(icb),
        "responder": responder_for(icb, "reflow-responder@example.com"),
    }
    for role in (
        "curator",
        "moderator",
        "review_panel",
        "secretariat",
        "board_member",
        "administrator",
    ):
        people[role] = make_user(f"reflow-{role}@example.com", roles=(role,))

    # Gather: the long-titled flag, referred, answered "We will act", with a commitment.
    flag = raise_flag(user=citizen, title=f"Scrap parking charges {LONG_WORD}"[:120])
    comment = flag_services.check_add_comment(
        user=citizen, flag=flag, body=f"Me too {LONG_WORD}", stance="for"
    )
    hidden = flag_services.check_add_comment(user=citizen, flag=flag, body="Rude words")
    check_hide(moderator=people["moderator"], kind="comment", object_id=hidden.pk, reason="Rude")
    reported = flag_services.check_add_comment(
        user=people["member"], flag=flag, body=f"Another {LONG_WORD}"
    )
    check_report(reporter=citizen, kind="comment", object_id=reported.pk, reason="advert")
    evidence = flag_services.check_add_evidence(
        user=citizen, flag=flag, title=LONG_WORD, url=f"https://example.org/{LONG_WORD}"
    )
    answer, _ = tracker.answered_referral(
        icb, outcome=Outcome.WILL_ACT, responder=people["responder"], flag=flag
    )
    commitment = commitment_services.check_add_commitment(
        by=people["responder"], to=answer, draft=tracker.draft(what=f"Free parking {LONG_WORD}")
    )
    commitment_services.check_update_commitment(
        by=people["responder"],
        commitment=commitment,
        status=CommitmentStatus.IN_PROGRESS,
        note=f"Started {LONG_WORD}",
    )
    call = tracker.published_call(icb)

    # Selection by lot: a drawn jury, one of whose members is the citizen.
    pool = panel_factories.make_pool(60)
    panel = panel_factories.drawn_panel(people["secretariat"], pool)
    member = panel.members.order_by("pk").first()
    job = panel_factories.job(panel)

    # Assembly, its meeting, a Board response and a commissioned panel; the stock-take.
    cycle = tracker.make_cycle(created_by=people["secretariat"], jury_panel=panel)
    meeting = tracker.make_meeting(cycle)
    item = tracker.make_agenda_item(meeting=meeting, title=f"Parking {LONG_WORD}"[:120])
    post = RemotePost.objects.create(item=item, author=citizen, body=f"Yes {LONG_WORD}")
    document = PackDocument.objects.create(
        item=item,
        title=LONG_WORD,
        url=f"https://example.org/{LONG_WORD}",
        added_by=people["secretariat"],
    )
    board_response = tracker.record_board_response(item, by=people["board_member"])
    commission = tracker.make_commission(meeting, item=item)
    do_generate_stocktake(cycle, by=people["secretariat"])

    story = published_story(people["curator"], author=citizen, title=f"Listened {LONG_WORD}")

    # Discover: a few topics, with a long unbroken topic, source and group name.
    _grow_to(3)
    topic = Topic.objects.order_by("pk").first()
    Topic.objects.filter(pk=topic.pk).update(curator_name=f"Parking {LONG_WORD}")
    Source.objects.filter(pk=Item.objects.filter(topic=topic).values("source")[:1]).update(
        name=f"Feed {LONG_WORD}", group_name=f"Group {LONG_WORD}"
    )
    figures.do_refresh_figures()
    statement = Item.objects.filter(topic=topic, duplicate_of=None).order_by("pk").first()
    upload = PendingUpload.objects.create(
        owner=people["curator"],
        filename=f"{LONG_WORD}.csv",
        headers=["Comment", LONG_WORD, "Where"],
        rows=[[f"Parking {LONG_WORD}", "x", "Leeds"]],
        details={"event_name": "Drop-in", "event_date": "2026-11-01", "group_name": ""},
    )

    # Communication needs, and a request for a document in large print (ADR 0036).
    from nhs_citizen.accounts.needs_services import check_request_format, check_save_needs

    check_save_needs(user=citizen, needs=["large_print", "step_free"], language="pl")
    format_request = check_request_format(
        requester=citizen, document=f"Pack {LONG_WORD}", format="large_print", send_by="email"
    )

    # A conversation on the flag, with its map worked out.
    import datetime

    from django.utils import timezone

    from nhs_citizen.conversations.services.conversations import check_open_conversation

    conversation = check_open_conversation(
        opener=people["curator"],
        question=f"What would make parking fairer? {LONG_WORD}"[:200],
        seeds=[
            f"Carers should park free {LONG_WORD}"[:140],
            "Blue badge bays are too few",
            "Charges pay for the car park",
        ],
        closes_at=timezone.now() + datetime.timedelta(days=30),
        flag=flag,
    )

    paper = _paper_ballot(cycle, people["secretariat"])

    # A request to act for an organisation, waiting for an administrator.
    check_request_membership(user=citizen, organisation=icb, role="member", job_title="Volunteer")
    offline = _offline_person(people["member"], flag)
    return World(
        people=people,
        objects={
            "icb": icb,
            "flag": flag,
            "comment": comment,
            "hidden_comment": hidden,
            "reported_comment": reported,
            "evidence": evidence,
            "answer": answer,
            "commitment": commitment,
            "call": call,
            "cycle": cycle,
            "item": item,
            "post": post,
            "document": document,
            "board_response": board_response,
            "commission": commission,
            "panel": panel,
            "member": member,
            "job": job,
            "story": story,
            "topic": topic,
            "statement": statement,
            "source": statement.source,
            "upload": upload,
            "format_request": format_request,
            "offline_person": offline,
            "conversation": conversation,
            "paper": paper,
        },
    )


def _offline_person(member, flag):
    """The member also helps at a Healthwatch, and recorded someone's support for the flag."""
    import datetime

    from django.utils import timezone

    from nhs_citizen.assisted.services import Consent, check_add_person, check_record_support
    from nhs_citizen.conftest import make_user
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.core.services.organisations import (
        check_request_membership,
        do_verify_membership,
    )

    healthwatch = Organisation.objects.create(
        name=f"Healthwatch {LONG_WORD}"[:200], slug="healthwatch-reflow", type="healthwatch"
    )
    membership = check_request_membership(user=member, organisation=healthwatch, role="member")
    do_verify_membership(
        membership=membership,
        verified_by=make_user("reflow-helper-verifier@example.com", roles=("administrator",)),
    )
    person = check_add_person(
        helper=member,
        organisation=healthwatch,
        name=LONG_WORD,
        contact_by="letter",
        address=LONG_WORD,
    )
    check_record_support(
        helper=member,
        person=person,
        flag=flag,
        consent=Consent(
            given_by=LONG_WORD, how="letter", on=timezone.localdate() - datetime.timedelta(days=2)
        ),
        paper_reference="PF-0001",
    )
    return person


def _paper_ballot(cycle, by):
    """A cancelled paper ballot for someone on the list of paper voters, long name and all."""
    from django.utils import timezone

    from nhs_citizen.assembly import paper_numbers
    from nhs_citizen.assembly.models import OfflineVoter, PaperBallot, PaperStatus

    person = OfflineVoter.objects.create(
        reference="PV-REFLO",
        full_name=f"Doreen {LONG_WORD}"[:200],
        postal_address=f"14 {LONG_WORD}",
        postcode="HX7 8AA",
        added_by=by,
    )
    return PaperBallot.objects.create(
        cycle=cycle,
        serial=1,
        number=paper_numbers.make(cycle.pk, 1),
        offline_voter=person,
        issued_by=by,
        status=PaperStatus.CANCELLED,
        cancelled_by=by,
        cancelled_at=timezone.now(),
        cancel_reason=f"Lost {LONG_WORD}",
    )


def _member(organisation):
    from nhs_citizen.conftest import make_user
    from nhs_citizen.core.services.organisations import (
        check_request_membership,
        do_verify_membership,
    )

    user = make_user("reflow-member@example.com", display_name="Grace Member")
    admin = make_user("reflow-verifier@example.com", roles=("administrator",))
    membership = check_request_membership(
        user=user, organisation=organisation, role="member", job_title="Officer"
    )
    do_verify_membership(membership=membership, verified_by=admin)
    return user


def page_arguments(world: World) -> dict[str, dict]:
    """The parts of the address of each page that has them, from the world."""
    o = world.objects
    from nhs_citizen.core.models import Membership

    request = Membership.objects.filter(verified_at__isnull=True).order_by("pk").first()
    flag = {"pk": o["flag"].pk}
    cycle = {"slug": o["cycle"].slug}
    meeting = {"cycle_slug": o["cycle"].slug}
    item = {**meeting, "pk": o["item"].pk}
    panel = {"pk": o["panel"].pk}
    from nhs_citizen.notifications.emails import unsubscribe_token
    from nhs_citizen.notifications.kinds import Kind

    return {
        "notifications:unsubscribe": {
            "token": unsubscribe_token(world.people["citizen"].pk, [Kind.values[0]])
        },
        "core:organisation_detail": {"slug": o["icb"].slug},
        "core:request_membership": {"slug": o["icb"].slug},
        "core:leave_organisation": {"slug": o["icb"].slug},
        "core:decide_membership": {"pk": request.pk},
        "accounts:person": {"pk": world.people["citizen"].pk},
        "accounts:format_request": {"pk": o["format_request"].pk},
        "assisted:organisation": {"slug": o["offline_person"].organisation.slug},
        "assisted:activity": {"slug": o["offline_person"].organisation.slug},
        "assisted:add_person": {"slug": o["offline_person"].organisation.slug},
        **{
            f"assisted:{name}": {
                "slug": o["offline_person"].organisation.slug,
                "reference": o["offline_person"].reference,
            }
            for name in (
                "person",
                "forget_person",
                "record_flag",
                "record_support",
                "record_answers",
                "record_story",
                "record_pool_entry",
            )
        },
        **{
            f"gather:{name}": flag
            for name in (
                "flag_detail",
                "support_flag",
                "withdraw_support",
                "follow_flag",
                "unfollow_flag",
                "add_comment",
                "add_evidence",
                "people",
                "merge_flag",
                "write_roundup",
                "put_forward",
                "review_flag",
            )
        },
        "gather:respond": {"pk": o["answer"].referral_id},
        "gather:evidence_file": {"pk": o["evidence"].pk},
        "gather:call_detail": {"pk": o["call"].pk},
        "gather:publish_outcome": {"pk": o["call"].pk},
        "gather:download_answers": {"pk": o["call"].pk},
        "moderation:report": {"kind": "comment", "pk": o["comment"].pk},
        "moderation:report_sent": {"kind": "comment", "pk": o["comment"].pk},
        "moderation:appeal": {"kind": "comment", "pk": o["hidden_comment"].pk},
        "moderation:decide": {"kind": "comment", "pk": o["reported_comment"].pk},
        "panels:respond_to_invitation": {"member_pk": o["member"].pk},
        "panels:export_stored": {**panel, "which": "panel"},
        "panels:job_progress": {**panel, "job_pk": o["job"].pk},
        "panels:member_action": {**panel, "member_pk": o["member"].pk},
        **{
            f"panels:{name}": panel
            for name in (
                "export_panel",
                "panel_detail",
                "check_draw",
                "draw_inputs",
                "distribution",
                "set_quotas",
                "freeze_inputs",
                "make_lottery",
                "commit_seed",
                "enter_public_value",
                "run_draw",
                "check_again",
                "reveal_seed",
                "manage_panel",
            )
        },
        **{
            f"assembly:{name}": cycle
            for name in (
                "cycle_detail",
                "results_json",
                "vote",
                "edit_cycle",
                "manage_cycle",
                "move_on",
                "jury",
                "paper_ballots",
                "enter_paper",
            )
        },
        **{
            f"assembly:{name}": {**cycle, "pk": o["paper"].pk}
            for name in ("print_paper", "cancel_paper")
        },
        "assembly:remove_paper_voter": {"pk": o["paper"].offline_voter_id},
        **{
            f"meetings:{name}": {"pk": o["commission"].pk}
            for name in ("commission_detail", "link_panel", "publish_report", "report_file")
        },
        **{
            f"meetings:{name}": meeting
            for name in (
                "meeting_detail",
                "set_up_meeting",
                "manage_agenda",
                "remote_posting",
                "write_minutes",
                "commission_panel",
            )
        },
        **{
            f"meetings:{name}": item
            for name in (
                "item_detail",
                "edit_item",
                "move_item",
                "add_document",
                "record_note",
                "post_to_thread",
            )
        },
        "meetings:document_file": {**meeting, "pk": o["document"].pk},
        "meetings:remove_document": {**meeting, "pk": o["document"].pk},
        "meetings:hide_post": {**meeting, "pk": o["post"].pk},
        "tracker:body_detail": {"slug": o["icb"].slug},
        "tracker:commitment_detail": {"pk": o["commitment"].pk},
        "tracker:update_commitment": {"pk": o["commitment"].pk},
        "tracker:withdraw_commitment": {"pk": o["commitment"].pk},
        "tracker:answer_detail": {"pk": o["answer"].pk},
        "tracker:add_answer_commitment": {"pk": o["answer"].pk},
        "tracker:call_outcome": {"pk": o["call"].pk},
        "tracker:add_call_commitment": {"pk": o["call"].pk},
        "tracker:board_response": {"pk": o["board_response"].pk},
        "tracker:add_board_commitment": {"pk": o["board_response"].pk},
        "tracker:respond_to_item": {"pk": o["item"].pk},
        "tracker:respond_to_commission": {"pk": o["commission"].pk},
        "tracker:stocktake": cycle,
        "culture:body_detail": {"slug": o["icb"].slug},
        "culture:body_flags": {"slug": o["icb"].slug},
        **{
            f"culture:{name}": {"pk": o["story"].pk}
            for name in ("story_detail", "decide_story", "hide_story", "restore_story")
        },
        **{
            f"discover:{name}": {"pk": o["topic"].pk}
            for name in (
                "topic_detail",
                "rename_topic",
                "merge_topic",
                "split_topic",
                "hide_topic",
                "show_topic",
                "flag_topic",
            )
        },
        **{
            f"discover:{name}": {"pk": o["statement"].pk}
            for name in ("item_detail", "hide_item", "show_item", "review_item")
        },
        "discover:restore_words": {"pk": o["statement"].pk, "number": 1},
        **{
            f"discover:{name}": {"pk": o["source"].pk}
            for name in (
                "source_detail",
                "source_edit",
                "fetch_now",
                "pause_source",
                "resume_source",
            )
        },
        "discover:flag_sources": {"flag_pk": o["flag"].pk},
        "discover:upload_columns": {"pk": o["upload"].pk},
        "conversations:open_on_flag": {"flag_pk": o["flag"].pk},
        "conversations:open_on_agenda_item": {
            "cycle_slug": o["cycle"].slug,
            "item_pk": o["item"].pk,
        },
        "conversations:open_on_call": {"call_pk": o["call"].pk},
        **{
            f"conversations:{name}": {"slug": o["conversation"].slug}
            for name in ("detail", "add_statement", "report", "change", "close")
        },
        **{
            f"conversations:{name}": {"slug": o["conversation"].slug, "number": 1}
            for name in ("statement", "vote", "hide_statement")
        },
    }


def addresses(world: World) -> list[tuple[str, str]]:
    """(URL name, address) for every route with all its parts known."""
    known = page_arguments(world)
    found = []
    for route in routes():
        if route.name in NEEDS_A_KEY_FROM_AN_EMAIL:
            continue
        if route.arguments:
            if route.name not in known:
                continue
            found.append((route.name, reverse(route.name, kwargs=known[route.name])))
        else:
            found.append((route.name, reverse(route.name)))
    return found


def missing_arguments(world: World) -> list[Route]:
    known = page_arguments(world)
    return [
        route
        for route in routes()
        if route.arguments
        and route.name not in known
        and route.name not in NEEDS_A_KEY_FROM_AN_EMAIL
    ]


# Who looks: a visitor, a citizen, the two kinds of organisation member, and each staff role.
ROLES = (
    "visitor",
    "citizen",
    "member",
    "responder",
    "curator",
    "moderator",
    "review_panel",
    "secretariat",
    "board_member",
    "administrator",
)
