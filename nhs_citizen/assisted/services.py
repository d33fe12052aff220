"""Recording for people who are offline: adding a person, then a flag, a support, answers to a
call for views, a story or a place in a pool on their behalf. Every write checks the helper,
the consent and the paper reference, is audited, and changes nothing when it is refused.

Public entries in the audit log name the organisation, never the person or their reference.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from nhs_citizen.assisted import references
from nhs_citizen.assisted.models import (
    ConsentHow,
    ContactBy,
    OfflinePerson,
    OnBehalfRecord,
    RecordKind,
)
from nhs_citizen.assisted.public import SENT_ON_PAPER, public_line
from nhs_citizen.assisted.rules import (
    SECRETARIAT_ORGANISATION,
    helps_for,
    is_secretariat_organisation,
)
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Organisation, Topic
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.models import Flag, Follow
from nhs_citizen.gather.services import similar
from nhs_citizen.gather.services.flags import (
    Place,
    _check_can_take_part,
    _followers_changed,
    _move_to_review_if_threshold_reached,
    check_place,
)

REFERENCE_TRIES = 8
# A flag the secretariat typed in from a paper form posted to NHS England: credited in the
# public audit log to NHS England's secretariat (assisted/staff.py), not to a person.
PAPER_FLAG_ACTION = "assisted.paper_flag_typed_in"


@dataclass(frozen=True)
class Consent:
    """Who agreed to this being recorded, how they told the helper, and when."""

    given_by: str
    how: str
    on: datetime.date | None


def _check_helper(helper, organisation: Organisation) -> None:
    if not helps_for(helper, organisation):
        raise PermissionDenied("Only confirmed members of this organisation can record for people.")


def _check_person(helper, person: OfflinePerson) -> None:
    _check_helper(helper, person.organisation)


def check_consent(consent: Consent, today: datetime.date | None = None) -> Consent:
    today = today or timezone.localdate()
    errors = {}
    given_by = " ".join((consent.given_by or "").split())
    if not given_by:
        errors["consent_given_by"] = "Enter who agreed to this being recorded"
    elif len(given_by) > 100:
        errors["consent_given_by"] = "Enter who agreed in 100 characters or fewer"
    if consent.how not in ConsentHow.values:
        errors["consent_how"] = "Select how they agreed"
    if consent.on is None:
        errors["consent_on"] = "Enter the date they agreed"
    elif consent.on > today:
        errors["consent_on"] = "The date they agreed must be today or in the past"
    elif consent.on < today - datetime.timedelta(days=365):
        errors["consent_on"] = "The date they agreed must be in the last year. Ask them again"
    if errors:
        raise ValidationError(errors)
    return Consent(given_by=given_by, how=consent.how, on=consent.on)


# People ------------------------------------------------------------------------------------------


def check_add_person(
    *,
    helper,
    organisation: Organisation,
    name: str,
    contact_by: str,
    phone: str = "",
    address: str = "",
) -> OfflinePerson:
    """Add someone a helper will record for. Only what is needed to reach them again is kept:
    a phone number or an address, not both."""
    _check_helper(helper, organisation)
    name = " ".join((name or "").split())
    phone = " ".join((phone or "").split())
    address = "\n".join(line.strip() for line in (address or "").splitlines() if line.strip())
    errors = {}
    if not name:
        errors["name"] = "Enter the person's name"
    elif len(name) > 100:
        errors["name"] = "Enter the person's name in 100 characters or fewer"
    if contact_by not in ContactBy.values:
        errors["contact_by"] = "Select how to tell them what happens"
    elif contact_by == ContactBy.PHONE:
        digits = sum(ch.isdigit() for ch in phone)
        if not phone:
            errors["phone"] = "Enter their phone number"
        elif digits < 10 or digits > 15 or len(phone) > 30:
            errors["phone"] = "Enter a phone number, like 0113 496 0000"
        address = ""
    elif contact_by == ContactBy.LETTER:
        if not address:
            errors["address"] = "Enter their address"
        elif len(address) > 300:
            errors["address"] = "Enter their address in 300 characters or fewer"
        phone = ""
    else:
        phone = address = ""
    if errors:
        raise ValidationError(errors)
    prefix = references.prefix_for(organisation.name)
    for _ in range(REFERENCE_TRIES):
        try:
            with transaction.atomic():
                person = OfflinePerson.objects.create(
                    organisation=organisation,
                    reference=references.new_reference(prefix),
                    name=name,
                    contact_by=contact_by,
                    phone=phone,
                    address=address,
                    added_by=helper,
                )
                record_audit_entry(
                    actor=helper,
                    action="assisted.person_added",
                    summary=f"Added a local resident to record for, for {organisation.name}",
                    target=person,
                    data={"organisation_id": organisation.pk},
                )
            return person
        except IntegrityError:
            continue  # the reference was taken: choose another
    raise ValidationError("We could not make a reference just now. Try again.")


def do_forget_person(*, helper, person: OfflinePerson) -> OfflinePerson:
    """When the person no longer needs telling what happens (or asks), their name and how to
    reach them go; the reference and what was recorded, with its consent, stay."""
    _check_person(helper, person)
    with transaction.atomic():
        OfflinePerson.objects.filter(pk=person.pk).update(
            name="", phone="", address="", contact_by=ContactBy.HELPER
        )
        record_audit_entry(
            actor=helper,
            action="assisted.person_forgotten",
            summary=f"Removed a local resident's name and contact details, for {person.organisation.name}",
            target=person,
            data={"organisation_id": person.organisation_id},
        )
    person.refresh_from_db()
    return person


def find_person(organisation: Organisation, reference: str) -> OfflinePerson | None:
    """A person of this organisation by their reference, or None (never another's)."""
    tidy = references.tidy_reference(reference)
    if not tidy:
        return None
    return (
        OfflinePerson.objects.filter(organisation=organisation, reference=tidy)
        .select_related("organisation")
        .first()
    )


# Paper forms -------------------------------------------------------------------------------------


def check_paper_reference(organisation: Organisation, text: str) -> str:
    """The paper form's reference in its stored form; refused if that paper was typed in."""
    paper = references.tidy_paper_reference(text)
    if not paper:
        if is_secretariat_organisation(organisation):
            # The secretariat types in only what came by post: the reference is a must.
            raise ValidationError(
                {
                    "paper_reference": "Enter the reference written on the paper form. "
                    "The secretariat types in paper forms only"
                }
            )
        return ""
    earlier = (
        OnBehalfRecord.objects.filter(organisation=organisation, paper_reference=paper)
        .only("recorded_at")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            {
                "paper_reference": (
                    f"Paper form {paper} was typed in on {when_words(earlier.recorded_at)}. "
                    "Each paper form is typed in once"
                )
            }
        )
    return paper


def _refused_paper(paper: str) -> ValidationError:
    return ValidationError(
        {
            "paper_reference": f"Paper form {paper} has already been typed in. Each paper form is typed in once"
        }
    )


def _new_record(*, helper, person, kind, consent, paper, **links) -> OnBehalfRecord:
    return OnBehalfRecord.objects.create(
        organisation=person.organisation,
        person=person,
        kind=kind,
        recorded_by=helper,
        consent_given_by=consent.given_by,
        consent_how=consent.how,
        consent_on=consent.on,
        paper_reference=paper,
        **links,
    )


# Flags and supports ------------------------------------------------------------------------------


def check_record_flag(
    *,
    helper,
    person: OfflinePerson,
    consent: Consent,
    title: str,
    what_should_change: str,
    why: str,
    topic: Topic,
    place: Place,
    paper_reference: str = "",
) -> Flag:
    """Raise a flag for a person who is offline. The person supports it (counted once, as a
    support recorded on their behalf); the helper follows it, to pass on what happens."""
    _check_person(helper, person)
    organisation = person.organisation
    consent = check_consent(consent)
    place = check_place(place)
    title, what, why = (
        (title or "").strip(),
        (what_should_change or "").strip(),
        (why or "").strip(),
    )
    errors = {}
    if not title:
        errors["title"] = "Enter what the flag is about"
    if not what:
        errors["what_should_change"] = "Enter what should change"
    if not why:
        errors["why"] = "Enter why this matters"
    if errors:
        raise ValidationError(errors)
    paper = check_paper_reference(organisation, paper_reference)
    now = timezone.now()
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                title=title[:120],
                what_should_change=what[:2000],
                why=why[:4000],
                topic=topic,
                scope=place.scope,
                region=place.region,
                icb=place.icb,
                place_name=place.place_name,
                raised_by=helper,
                created_at=now,
                last_activity_at=now,
                support_count=1,
            )
            Follow.objects.get_or_create(flag=flag, user=helper)
            record = _new_record(
                helper=helper,
                person=person,
                kind=RecordKind.FLAG,
                consent=consent,
                paper=paper,
                flag=flag,
            )
            _new_record(
                helper=helper,
                person=person,
                kind=RecordKind.SUPPORT,
                consent=consent,
                paper="",
                flag=flag,
            )
            on_paper_to_us = is_secretariat_organisation(organisation)
            record_audit_entry(
                actor=helper,
                action=PAPER_FLAG_ACTION if on_paper_to_us else "assisted.flag_recorded",
                summary=f"Typed in the flag “{flag.title}”, sent in on paper"
                if on_paper_to_us
                else f"Recorded the flag “{flag.title}” for a local resident, for {organisation.name}",
                target=flag,
                data={
                    "organisation_id": organisation.pk,
                    "record_id": record.pk,
                    "on_paper": bool(paper),
                },
                public=True,
            )
            similar.queue_similar_flags(flag.pk)
    except IntegrityError as error:
        raise _refused_paper(paper) from error
    _followers_changed(flag.pk)
    _move_to_review_if_threshold_reached(flag.pk)
    return flag


def check_record_support(
    *, helper, person: OfflinePerson, flag: Flag, consent: Consent, paper_reference: str = ""
) -> OnBehalfRecord:
    """Add a person's support, recorded on their behalf. Once per person and flag: a second
    time is refused with the date of the first, and nothing changes."""
    _check_person(helper, person)
    flag = Flag.objects.only("pk", "title", "status", "hidden_at").get(pk=flag.pk)  # as it is now
    _check_can_take_part(flag)
    consent = check_consent(consent)
    earlier = OnBehalfRecord.objects.filter(
        person=person, flag=flag, kind=RecordKind.SUPPORT
    ).first()
    if earlier is not None:
        raise ValidationError(_already_supports(person, earlier))
    paper = check_paper_reference(person.organisation, paper_reference)
    try:
        with transaction.atomic():
            record = _new_record(
                helper=helper,
                person=person,
                kind=RecordKind.SUPPORT,
                consent=consent,
                paper=paper,
                flag=flag,
            )
            Flag.objects.filter(pk=flag.pk).update(
                support_count=F("support_count") + 1, last_activity_at=timezone.now()
            )
            record_audit_entry(
                actor=helper,
                action="assisted.support_recorded",
                summary=f"Recorded a local resident's support for “{flag.title}”, for {person.organisation.name}",
                target=flag,
                data={
                    "organisation_id": person.organisation_id,
                    "record_id": record.pk,
                    "on_paper": bool(paper),
                },
                public=True,
            )
    except IntegrityError as error:
        # Two helpers typing the same person in at once: the database keeps one.
        earlier = OnBehalfRecord.objects.filter(
            person=person, flag=flag, kind=RecordKind.SUPPORT
        ).first()
        if earlier is not None:
            raise ValidationError(_already_supports(person, earlier)) from error
        raise _refused_paper(paper) from error
    _move_to_review_if_threshold_reached(flag.pk)
    return record


def _already_supports(person: OfflinePerson, earlier: OnBehalfRecord) -> str:
    return (
        f"{person.reference} already supports this flag. Their support was recorded on "
        f"{when_words(earlier.recorded_at, show='date')}, and each person counts once"
    )


def move_on_behalf_supports(*, source: Flag, target: Flag) -> int:
    """When a curator merges two flags: supports recorded on behalf move with the rest, once
    per person. Returns how many the target now has. Call inside the merge's transaction."""
    on_target = OnBehalfRecord.objects.filter(flag=target, kind=RecordKind.SUPPORT)
    people = set(on_target.values_list("person_id", flat=True))
    OnBehalfRecord.objects.filter(
        flag=source, kind=RecordKind.SUPPORT, person_id__in=people
    ).delete()
    OnBehalfRecord.objects.filter(flag=source, kind=RecordKind.SUPPORT).update(flag=target)
    return on_target.count()


# What the public sees ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagOnBehalf:
    recorded_by: str  # the organisation that recorded the flag itself, or ""
    supports: int
    share: str
    on_paper_to_us: bool = False  # typed in by the secretariat from a paper form

    @property
    def line(self) -> str:
        """Who the flag page says raised it, or "" when a person raised it themselves."""
        if self.on_paper_to_us:
            return SENT_ON_PAPER
        return public_line(self.recorded_by) if self.recorded_by else ""


def flag_on_behalf(flag: Flag) -> FlagOnBehalf:
    """For the flag page: "recorded by Healthwatch Leeds for a local resident" and the share
    of supporters recorded on behalf. Names the organisation only."""
    # One query over the flag's records (the index on flag and kind), however many there are.
    found = OnBehalfRecord.objects.filter(
        flag=flag, kind__in=[RecordKind.FLAG, RecordKind.SUPPORT]
    ).aggregate(
        # Supports typed in by the secretariat from paper are not "recorded by community
        # helpers": the share counts the helpers' only.
        supports=Count(
            "pk",
            filter=Q(kind=RecordKind.SUPPORT) & ~Q(organisation__slug=SECRETARIAT_ORGANISATION),
        ),
        raised=Max("organisation__name", filter=Q(kind=RecordKind.FLAG)),
        raised_slug=Max("organisation__slug", filter=Q(kind=RecordKind.FLAG)),
    )
    raised, supports = found["raised"], found["supports"]
    return FlagOnBehalf(
        recorded_by=raised or "",
        supports=supports,
        share=references.share_words(supports, flag.support_count),
        on_paper_to_us=found["raised_slug"] == SECRETARIAT_ORGANISATION,
    )


# Calls for views, stories and the pool ----------------------------------------------------------


def check_record_call_answers(
    *,
    helper,
    person: OfflinePerson,
    call,
    answers: dict[int, str],
    consent: Consent,
    paper_reference: str = "",
) -> OnBehalfRecord:
    """A person's answers to a call for views, told to a helper or written on the paper
    version. Each person answers a call once; each paper form is typed in once."""
    from nhs_citizen.gather.services.calls import clean_call_answers, save_call_answers

    _check_person(helper, person)
    if not call.is_open():
        raise ValidationError(
            f"This call for views closed on {when_words(call.closes_on, show='date')}. Answers can no longer be added."
        )
    consent = check_consent(consent)
    if OnBehalfRecord.objects.filter(
        person=person, call=call, kind=RecordKind.CALL_ANSWER
    ).exists():
        raise ValidationError(
            f"{person.reference} has already answered this call for views. Each person answers once"
        )
    cleaned = clean_call_answers(call, answers)
    paper = check_paper_reference(person.organisation, paper_reference)
    try:
        with transaction.atomic():
            submission = save_call_answers(call, cleaned, user=None)
            record = _new_record(
                helper=helper,
                person=person,
                kind=RecordKind.CALL_ANSWER,
                consent=consent,
                paper=paper,
                call=call,
                call_submission=submission,
            )
            record_audit_entry(
                actor=helper,
                action="assisted.call_answered",
                summary=f"Typed in a local resident's answers to “{call.title}”, for {person.organisation.name}",
                target=call,
                data={
                    "organisation_id": person.organisation_id,
                    "record_id": record.pk,
                    "on_paper": bool(paper),
                },
            )
    except IntegrityError as error:
        if OnBehalfRecord.objects.filter(
            person=person, call=call, kind=RecordKind.CALL_ANSWER
        ).exists():
            raise ValidationError(
                f"{person.reference} has already answered this call for views"
            ) from error
        raise _refused_paper(paper) from error
    return record


def check_record_story(
    *,
    helper,
    person: OfflinePerson,
    consent: Consent,
    title: str,
    body: str,
    organisation: Organisation | None = None,
    paper_reference: str = "",
) -> OnBehalfRecord:
    """A story of change a person told a helper. Like any story, a curator checks it first,
    and it shows as recorded by the helper's organisation for a local resident."""
    from nhs_citizen.culture.models import Teller
    from nhs_citizen.culture.services.stories import check_tell_story

    _check_person(helper, person)
    consent = check_consent(consent)
    paper = check_paper_reference(person.organisation, paper_reference)
    try:
        with transaction.atomic():
            story = check_tell_story(
                author=helper,
                title=title,
                body=body,
                teller=Teller.PATIENT,
                organisation=organisation,
            )
            record = _new_record(
                helper=helper,
                person=person,
                kind=RecordKind.STORY,
                consent=consent,
                paper=paper,
                story=story,
            )
            record_audit_entry(
                actor=helper,
                action="assisted.story_recorded",
                summary=f"Recorded a local resident's story of change, for {person.organisation.name}",
                target=story,
                data={"organisation_id": person.organisation_id, "record_id": record.pk},
            )
    except IntegrityError as error:
        raise _refused_paper(paper) from error
    return record


def check_record_pool_entry(
    *,
    helper,
    person: OfflinePerson,
    consent: Consent,
    answers: dict[str, str],
    address: str,
    postcode: str,
) -> OnBehalfRecord:
    """A person volunteers for the pool people are chosen from by lot. Their answers are
    special category data: only with consent, never public. The pool knows them by their
    reference, so if they are chosen the secretariat asks the organisation to tell them."""
    from nhs_citizen.panels import households
    from nhs_citizen.panels.models import PoolMember
    from nhs_citizen.panels.services.pool import _secret, check_answers, volunteer_pool

    _check_person(helper, person)
    consent = check_consent(consent)
    errors = {}
    if not (address or "").strip():
        errors["address"] = "Enter the first line of their address"
    if not households.is_valid_postcode(postcode):
        errors["postcode"] = "Enter a real postcode, like LS1 4AP"
    try:
        cleaned = check_answers(answers)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    pool = volunteer_pool()
    if OnBehalfRecord.objects.filter(person=person, pool=pool, kind=RecordKind.POOL_ENTRY).exists():
        raise ValidationError(f"{person.reference} is already in the pool. Each person joins once")
    now = timezone.now()
    try:
        with transaction.atomic():
            member = PoolMember.objects.create(
                pool=pool,
                user=None,
                external_id=f"helper:{person.reference}",
                features=cleaned,
                household_hash=households.household_key(address, postcode, _secret()),
                consent_given_at=now,
            )
            record = _new_record(
                helper=helper,
                person=person,
                kind=RecordKind.POOL_ENTRY,
                consent=consent,
                paper="",
                pool=pool,
                pool_member=member,
            )
            record_audit_entry(
                actor=helper,
                action="assisted.pool_entry_recorded",
                summary=f"Added a local resident to the volunteer pool, for {person.organisation.name}",
                target=member,
                data={"organisation_id": person.organisation_id, "record_id": record.pk},
            )
    except IntegrityError as error:
        raise ValidationError(
            f"{person.reference} is already in the pool. Each person joins once"
        ) from error
    return record
