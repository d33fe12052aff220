"""A small picture of everything the API shows, and some things it must never show, made
through the apps' own services where they matter (raising, reviewing, answering, hiding)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.discover.models import Item, Review, Source, SourceKind
from nhs_citizen.discover.models import Topic as DiscoverTopic
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.moderation.services import check_hide
from nhs_citizen.tracker.tests.factories import answered_referral, record_board_response

# Never in any response.
SECRET_EMAIL = "jane.private@example.org"
SECRET_NAME = "Quentin Privateperson"
SECRET_RAW = "raw words only the pipeline sees"
HIDDEN_WHY = "Words in a flag a moderator hid for good reason"
UNREVIEWED_TEXT = "A message still waiting for a curator's check"
STAFF_NAMES = ("Mod Staffname", "Bea Board", "Rory Responder", "Sec Retariat", "Sam Person")
SECRET_SEED = "a-seed-nobody-may-see-yet"
UNPUBLISHED_MINUTES = "Minutes the secretariat has not published"
PANEL_MEMBER = "Pat Panellist"
CALL_ANSWERER = "Carla Answerer"
REFLECTOR = "Rhona Reflector"
WAITING_STORY = "A story a curator has not checked yet"
HIDDEN_STORY = "A story a moderator hid"
HIDDEN_COMMENT = "A comment a moderator hid because it named a nurse"
HIDDEN_EVIDENCE = "Evidence with someone's letter in it"
OPEN_CALL_ANSWER = "An answer to a call still open, not public until it closes"

_n = itertools.count(1)


def statements(source: Source, count: int, topic: DiscoverTopic | None = None) -> list[Item]:
    now = timezone.now()
    items = []
    for _ in range(count):
        n = next(_n)
        items.append(
            Item(
                source=source,
                original_id=f"api-{n}",
                said_at=now - dt.timedelta(days=1),
                raw_text=f"{SECRET_RAW}: I am {SECRET_NAME}, write to {SECRET_EMAIL} ({n})",
                text=f"I am [name], write to [email] ({n})",
                redactions={"name": 1, "email": 1},
                redacted_spans=[[5, 26, "name"]],
                processed_at=now,
                sentiment="neutral",
                topic=topic,
            )
        )
    return Item.objects.bulk_create(items)


def build(rows: int = 5) -> dict:
    """``rows`` flags, commitments, statements and audit entries at least, plus the things
    that must stay private."""
    citizen = make_user(next_email("citizen"), display_name="Cat Citizen")
    flags = [raise_flag(user=citizen, title=f"A public flag number {i}") for i in range(rows)]
    moderator = make_user(
        next_email("moderator"), display_name=STAFF_NAMES[0], roles=("moderator",)
    )
    hidden = raise_flag(user=citizen, title="A flag that will be hidden", why=HIDDEN_WHY)
    check_hide(moderator=moderator, kind="flag", object_id=hidden.pk, reason="It named a person")
    _discussion(flags[0], citizen, moderator)
    _stories(citizen)
    answers = [answered_referral()[0] for _ in range(max(1, rows // 5))]
    responses = [record_board_response() for _ in range(max(1, rows // 5))]

    _assembly(responses, citizen)
    from nhs_citizen.tracker.models import Reflection

    Reflection.objects.create(
        response=responses[0],
        user=make_user(next_email("reflector"), display_name=REFLECTOR),
        verdict="partly",
        comment=f"Mostly, but not the waiting times. Write to {SECRET_EMAIL}",
    )
    calls = _calls(rows)

    source = Source.objects.create(name="A public feed", kind=SourceKind.RSS)
    topic = DiscoverTopic.objects.create(auto_name="Hospital parking", words=["parking", "car"])
    items = statements(source, rows, topic)
    topic.typical_item = items[0]
    topic.item_count = len(items)
    topic.save()
    DiscoverTopic.objects.create(
        auto_name="A hidden topic", hidden_at=timezone.now(), hidden_reason="Off topic"
    )
    waiting = statements(source, 1)[0]
    Item.objects.filter(pk=waiting.pk).update(review=Review.WAITING, text=UNREVIEWED_TEXT)
    hidden_item = statements(source, 1)[0]
    Item.objects.filter(pk=hidden_item.pk).update(hidden_at=timezone.now())
    make_user(SECRET_EMAIL, display_name=SECRET_NAME)
    return {
        "flags": flags,
        "hidden_flag": hidden,
        "answers": answers,
        "board_responses": responses,
        "topic": topic,
        "items": items,
        "waiting_item": waiting,
        "hidden_item": hidden_item,
        **calls,
    }


def grow(data: dict, extra: int) -> None:
    """``extra`` more rows in every list, made the quick way (copies of rows made above), for
    the query-count tests: the pages must cost the same with more rows behind them."""
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.core.services.audit import record_audit_entry
    from nhs_citizen.gather.models import Flag, Referral
    from nhs_citizen.tracker.models import Commitment, CommitmentUpdate, StockTakeItem

    template = Flag.objects.get(pk=data["answers"][0].referral.flag_id)
    referral = Referral.objects.get(flag=template)
    flags = []
    for i in range(extra):
        flag = Flag.objects.get(pk=template.pk)
        flag.pk = None
        flag.title = f"A copied flag {i}"
        flags.append(flag)
    flags = Flag.objects.bulk_create(flags)
    copies = []
    for flag in flags:
        copy = Referral.objects.get(pk=referral.pk)
        copy.pk, copy.flag = None, flag
        copies.append(copy)
    Referral.objects.bulk_create(copies)
    _grow_assembly(flags)

    commitment = Commitment.objects.order_by("pk").first()
    update = CommitmentUpdate.objects.filter(commitment=commitment).first()
    item = StockTakeItem.objects.order_by("pk").first()
    for i in range(extra):
        new = Commitment.objects.get(pk=commitment.pk)
        new.pk = None
        new.save()
        if item is not None:
            StockTakeItem.objects.create(
                cycle_id=item.cycle_id,
                commitment=new,
                position=item.position + 1 + i,
                was_overdue=True,
                status_then=new.status,
            )
        if update is not None:
            u = CommitmentUpdate.objects.get(pk=update.pk)
            u.pk, u.commitment = None, new
            u.save()

    organisation = Organisation.objects.order_by("pk").first()
    for i in range(extra):
        o = Organisation.objects.get(pk=organisation.pk)
        o.pk, o.name, o.slug, o.code = None, f"Copied body {i}", f"copied-body-{i}", f"ZZ{i}"
        o.is_reference = False
        o.save()

    from nhs_citizen.gather.models import CallForViews, CallQuestion

    call = data["closed_calls"][0]
    for i in range(extra):
        c = CallForViews.objects.get(pk=call.pk)
        c.pk, c.title = None, f"A copied call {i}"
        c.save()
        CallQuestion.objects.bulk_create(
            CallQuestion(call=c, position=q.position, text=q.text, kind=q.kind, choices=q.choices)
            for q in call.questions.all()
        )

    from nhs_citizen.meetings.models import PanelCommission

    commission = PanelCommission.objects.order_by("pk").first()
    for i in range(extra):
        c = PanelCommission.objects.get(pk=commission.pk)
        c.pk, c.question = None, f"A copied question {i}"
        c.save()

    from nhs_citizen.culture.models import Story

    story = Story.objects.filter(title__startswith="They listened").first()
    copies = []
    for i in range(extra):
        copy = Story.objects.get(pk=story.pk)
        copy.pk, copy.title = None, f"A copied story {i}"
        copies.append(copy)
    Story.objects.bulk_create(copies)

    source = data["items"][0].source
    topic = data["topic"]
    statements(source, extra, topic)
    for i in range(extra):
        DiscoverTopic.objects.create(auto_name=f"Copied topic {i}", typical_item=data["items"][0])

    actor = data["flags"][0].raised_by
    for i in range(extra):
        record_audit_entry(
            actor=actor,
            action="gather.flag_raised",
            summary=f"Copied public entry {i}",
            target=data["flags"][0],
            public=True,
        )


def _assembly(responses, citizen) -> None:
    """Scores published and a jury's choice on the first cycle, minutes published on the
    first meeting and not on the second, a panel with its seed revealed and one without."""
    from nhs_citizen.assembly.models import CycleEntry, JuryChoice
    from nhs_citizen.meetings.models import Meeting
    from nhs_citizen.panels.models import PanelStatus
    from nhs_citizen.tracker.tests.factories import make_panel

    meetings = list(Meeting.objects.select_related("cycle").order_by("pk"))
    first = meetings[0].cycle
    first.scores_published_at = timezone.now()
    first.voters = 12
    first.save()
    for place, entry in enumerate(CycleEntry.objects.filter(cycle=first), start=1):
        entry.place, entry.votes, entry.to_jury = place, 10 - place, True
        entry.save()
        JuryChoice.objects.create(
            entry=entry, chosen=True, reasons="It affects many people.", recorded_by=citizen
        )
    meetings[0].minutes = "The Assembly met and agreed three things."
    meetings[0].minutes_published_at = timezone.now()
    meetings[0].save()
    if len(meetings) > 1:
        meetings[1].minutes = UNPUBLISHED_MINUTES
        meetings[1].save()
    from nhs_citizen.meetings.models import PanelCommission

    PanelCommission.objects.create(
        meeting=meetings[0],
        question="How should hospitals help carers stay overnight?",
        remit="Look at overnight stays for carers.",
        size=24,
        quotas_note="Carers of all ages",
        report_due=timezone.localdate() + dt.timedelta(days=90),
        reasons="Carers asked for it.",
        commissioned_by=make_user(next_email("secretariat"), display_name=STAFF_NAMES[3]),
        report_summary="Carers should be able to stay.",
        report_published_at=timezone.now(),
    )
    member = make_user(next_email("panellist"), display_name=PANEL_MEMBER)
    revealed = make_panel([member])
    revealed.status = PanelStatus.SEED_REVEALED
    revealed.seed = "a-seed-everyone-may-see"
    revealed.seed_revealed_at = timezone.now()
    revealed.save()
    secret = make_panel([])
    secret.status = PanelStatus.SEED_COMMITTED
    secret.seed = SECRET_SEED
    secret.seed_hash = "0" * 64
    secret.save()
    _stocktake(first)


def _stocktake(cycle) -> None:
    """The first cycle's stock-take agenda: every commitment, as the agenda job makes it."""
    from nhs_citizen.tracker.models import Commitment, StockTakeItem

    for position, commitment in enumerate(Commitment.objects.order_by("pk"), start=1):
        StockTakeItem.objects.create(
            cycle=cycle,
            commitment=commitment,
            position=position,
            was_overdue=False,
            status_then=commitment.status,
        )


def _grow_assembly(flags) -> None:
    """A cycle, its meeting with one agenda item, and a panel for each flag given."""
    from nhs_citizen.assembly.models import Cycle, CycleEntry, JuryChoice
    from nhs_citizen.meetings.models import AgendaItem, Meeting, PackDocument
    from nhs_citizen.panels.models import Panel
    from nhs_citizen.tracker.models import BoardResponse

    cycle = Cycle.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    panel = Panel.objects.order_by("pk").first()
    for i, flag in enumerate(flags):
        c = Cycle.objects.get(pk=cycle.pk)
        c.pk, c.name, c.slug = None, f"Copied cycle {i}", f"copied-cycle-{i}"
        c.save()
        entry = CycleEntry.objects.create(
            cycle=c, flag=flag, shortlisted_at=timezone.now(), place=1, votes=3
        )
        JuryChoice.objects.create(
            entry=entry, chosen=False, reasons="Not this time.", recorded_by=flag.raised_by
        )
        m = Meeting.objects.get(pk=meeting.pk)
        m.pk, m.cycle = None, c
        m.save()
        item = AgendaItem.objects.create(meeting=m, entry=entry, position=1, title=flag.title)
        BoardResponse.objects.create(
            agenda_item=item,
            outcome="will_act",
            summary="The Board will act.",
            reasons="Because it matters.",
            recorded_by=flag.raised_by,
            due_date=timezone.localdate(),
            on_time=True,
        )
        PackDocument.objects.create(
            item=item,
            title="Briefing",
            url="https://example.org/briefing.pdf",
            added_by=flag.raised_by,
        )
        p = Panel.objects.get(pk=panel.pk)
        p.pk, p.title = None, f"Copied panel {i}"
        p.save()


def _calls(rows: int) -> dict:
    """Calls for views made through Gather's services: ``rows`` closed ones, answered (one
    answer holds an e-mail address, which must come out) with the outcome published on the
    first, and one still open whose answers are not public yet."""
    import time_machine

    from nhs_citizen.core.models import Organisation
    from nhs_citizen.gather.models import Scope
    from nhs_citizen.gather.services import calls as call_services
    from nhs_citizen.gather.services.flags import Place
    from nhs_citizen.gather.tests.factories import responder_for

    organisation = Organisation.objects.get(slug="nhs-england")
    responder = responder_for(organisation)
    answerer = make_user(next_email("answerer"), display_name=CALL_ANSWERER)
    questions = [
        ("What would make it easier to see a GP?", "free_text", []),
        ("Would you use evening appointments?", "choice", ["Yes", "No"]),
    ]
    now = timezone.now()
    closed = []
    with time_machine.travel(now - dt.timedelta(days=40), tick=True):
        for i in range(max(1, rows // 2)):
            call = call_services.check_open_call(
                responder=responder,
                organisation=organisation,
                title=f"A call for views number {i}",
                background="We want to hear from you.",
                place=Place(Scope.NATIONAL),
                closes_on=timezone.localdate() + dt.timedelta(days=10),
                questions=questions,
            )
            first, second = call.questions.order_by("position")
            call_services.check_answer_call(
                user=answerer,
                call=call,
                answers={first.pk: f"Evenings. Write to {SECRET_EMAIL}", second.pk: "Yes"},
            )
            closed.append(call)
    call_services.check_publish_outcome(
        responder=responder,
        call=closed[0],
        we_asked="We asked about evening appointments.",
        you_said="You said evenings would help.",
        we_did="We opened three surgeries until 8pm.",
    )
    still_open = call_services.check_open_call(
        responder=responder,
        organisation=organisation,
        title="A call for views still open",
        background="Tell us what you think.",
        place=Place(Scope.NATIONAL),
        closes_on=timezone.localdate() + dt.timedelta(days=10),
        questions=questions,
    )
    first, second = still_open.questions.order_by("position")
    call_services.check_answer_call(
        user=answerer, call=still_open, answers={first.pk: OPEN_CALL_ANSWER, second.pk: "No"}
    )
    return {"closed_calls": closed, "open_call": still_open}


def _discussion(flag, citizen, moderator) -> None:
    """Comments (one hidden, one a reply), evidence (one hidden) and a roundup on a flag."""
    from nhs_citizen.gather.services import flags as flag_services

    talker = make_user(next_email("talker"), display_name="Tam Talker")
    first = flag_services.check_add_comment(
        user=talker, flag=flag, body="The 6pm bus never comes.", stance="for"
    )
    flag_services.check_add_comment(user=citizen, flag=flag, body="Same here.", parent=first)
    hidden = flag_services.check_add_comment(user=talker, flag=flag, body=HIDDEN_COMMENT)
    check_hide(moderator=moderator, kind="comment", object_id=hidden.pk, reason="It named a nurse")
    flag_services.check_add_evidence(
        user=talker, flag=flag, title="The bus timetable", url="https://example.org/timetable"
    )
    secret = flag_services.check_add_evidence(
        user=talker, flag=flag, title=HIDDEN_EVIDENCE, url="https://example.org/letter"
    )
    check_hide(moderator=moderator, kind="evidence", object_id=secret.pk, reason="Private letter")
    flag_services.check_write_roundup(
        curator=make_user(next_email("curator"), roles=("curator",)),
        flag=flag,
        change_needed="A bus that runs on time",
        action="Ask the council to fund a later bus",
        who_should_act="The local council",
    )


def _stories(citizen) -> None:
    """Published stories of change, one waiting for a curator, and one hidden."""
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.culture.models import Story, StoryStatus, Teller

    body = Organisation.objects.get(slug="nhs-england")
    now = timezone.now()
    for i in range(3):
        Story.objects.create(
            title=f"They listened at last {i}",
            body="The ward now asks carers what they need.",
            teller=Teller.PATIENT,
            organisation=body,
            author=citizen,
            status=StoryStatus.PUBLISHED,
            published_at=now,
        )
    Story.objects.create(title="Waiting", body=WAITING_STORY, teller=Teller.STAFF, author=citizen)
    Story.objects.create(
        title="Hidden",
        body=HIDDEN_STORY,
        teller=Teller.STAFF,
        author=citizen,
        status=StoryStatus.PUBLISHED,
        published_at=now,
        hidden_at=now,
        hidden_reason="It named a patient",
    )
