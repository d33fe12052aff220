import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Icb, Organisation, Topic
from nhs_citizen.gather.models import (
    Comment,
    Evidence,
    Flag,
    FlagStatus,
    Follow,
    Roundup,
    Scope,
    Support,
)
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.gather.tests.factories import next_email, raise_flag

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_raising_a_flag_supports_and_follows_it_and_is_public(run_jobs):
    with run_jobs():
        flag = raise_flag()
    assert flag.embedding is None, "the request does not embed: a job does"
    assert flag.support_count == 1
    assert Support.objects.filter(flag=flag, user=flag.raised_by).exists()
    assert Follow.objects.filter(flag=flag, user=flag.raised_by).exists()
    flag.refresh_from_db()
    assert flag.embedding and flag.similar_found_at
    entry = AuditEntry.objects.get(action="gather.flag_raised")
    assert entry.is_public and entry.target_id == str(flag.pk)


@pytest.mark.parametrize(
    "place, field",
    [
        (Place(Scope.REGION), "region"),
        (Place(Scope.ICB), "icb"),
        (Place(Scope.LOCAL, place_name="  "), "place_name"),
        (Place("moon"), "scope"),
    ],
)
def test_an_incomplete_place_is_refused_and_nothing_is_saved(place, field):
    with pytest.raises(ValidationError) as error:
        raise_flag(place=place)
    assert field in error.value.error_dict
    assert not Flag.objects.exists()


def test_a_local_flag_keeps_its_place_and_area():
    icb = Icb.objects.get(code="QWO")
    flag = raise_flag(place=Place(Scope.LOCAL, icb=icb, place_name="  Leeds   city centre "))
    assert flag.place_name == "Leeds city centre"
    assert flag.region == icb.region
    assert flag.place == "Leeds city centre, West Yorkshire"


def test_only_confirmed_members_raise_flags_for_an_organisation():
    user = make_user()
    with pytest.raises(ValidationError):
        services.check_raise_flag(
            user=user,
            title="x" * 10,
            what_should_change="y",
            why="z",
            topic=Topic.objects.first(),
            place=Place(Scope.NATIONAL),
            raised_for=Organisation.objects.get(slug="nhs-england"),
        )
    assert not Flag.objects.exists()


def test_supporting_twice_counts_once():
    flag = raise_flag()
    supporter = make_user(next_email())
    assert services.do_support_flag(user=supporter, flag=flag) is True
    assert services.do_support_flag(user=supporter, flag=flag) is False
    flag.refresh_from_db()
    assert flag.support_count == 2
    assert Support.objects.filter(flag=flag).count() == 2


def test_withdrawing_support_lowers_the_count_but_the_raiser_cannot():
    flag = raise_flag()
    supporter = make_user(next_email())
    services.do_support_flag(user=supporter, flag=flag)
    assert services.do_withdraw_support(user=supporter, flag=flag)
    flag.refresh_from_db()
    assert flag.support_count == 1
    with pytest.raises(ValidationError):
        services.do_withdraw_support(user=flag.raised_by, flag=flag)


def test_reaching_the_threshold_moves_the_flag_to_review_once(
    settings, django_capture_on_commit_callbacks
):
    settings.NHS_CITIZEN = {**settings.NHS_CITIZEN, "SUPPORT_THRESHOLD": 3}
    flag = raise_flag()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            services.do_support_flag(user=make_user(next_email()), flag=flag)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.IN_REVIEW
    assert flag.threshold_reached_at is not None
    assert AuditEntry.objects.filter(action="gather.flag_reached_threshold").count() == 1
    assert (
        flag.raised_by.notifications.filter(subject="A flag you support is being reviewed").count()
        == 1
    )


def test_a_merged_flag_cannot_be_supported():
    source, target = raise_flag(title="A"), raise_flag(title="B")
    services.check_merge_flags(
        curator=make_user(next_email(), roles=("curator",)),
        source=source,
        target=target,
        reason="Same",
    )
    source.refresh_from_db()
    with pytest.raises(ValidationError, match="merged"):
        services.do_support_flag(user=make_user(next_email()), flag=source)


def test_merging_counts_each_supporter_once_and_keeps_the_discussion():
    curator = make_user(next_email(), roles=("curator",))
    source = raise_flag(title="Free parking at hospitals")
    target = raise_flag(title="Hospital parking costs too much")
    both = [make_user(next_email()) for _ in range(3)]
    only_source = [make_user(next_email()) for _ in range(2)]
    for person in both:
        services.do_support_flag(user=person, flag=source)
        services.do_support_flag(user=person, flag=target)
    for person in only_source:
        services.do_support_flag(user=person, flag=source)
    comment = services.check_add_comment(user=both[0], flag=source, body="Agree")
    services.do_follow_flag(user=both[1], flag=source)
    merged = services.check_merge_flags(
        curator=curator, source=source, target=target, reason="The same change"
    )
    expected = {source.raised_by_id, target.raised_by_id, *(p.pk for p in both + only_source)}
    assert set(Support.objects.filter(flag=merged).values_list("user_id", flat=True)) == expected
    assert merged.support_count == len(expected) == 7
    assert Comment.objects.get(pk=comment.pk).flag_id == target.pk
    assert not Support.objects.filter(flag=source).exists()
    assert Follow.objects.filter(flag=target, user=both[1]).count() == 1
    source.refresh_from_db()
    assert source.status == FlagStatus.MERGED and source.merged_into_id == target.pk
    assert AuditEntry.objects.get(action="gather.flags_merged").reason == "The same change"


@pytest.mark.parametrize("same", [True, False])
def test_merging_into_itself_or_without_a_reason_is_refused(same):
    curator = make_user(next_email(), roles=("curator",))
    flag = raise_flag(title="A")
    other = flag if same else raise_flag(title="B")
    with pytest.raises(ValidationError):
        services.check_merge_flags(
            curator=curator, source=flag, target=other, reason="" if not same else "x"
        )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_roundup_is_written_and_updated():
    curator = make_user(next_email(), roles=("curator",))
    flag = raise_flag()
    services.check_write_roundup(
        curator=curator,
        flag=flag,
        change_needed="Online booking",
        action="Require it",
        who_should_act="NHS England",
    )
    services.check_write_roundup(
        curator=curator,
        flag=flag,
        change_needed="Online booking everywhere",
        action="Require it",
        who_should_act="NHS England",
    )
    assert Roundup.objects.get(flag=flag).change_needed == "Online booking everywhere"
    assert AuditEntry.objects.filter(action__startswith="gather.roundup_").count() == 2
    with pytest.raises(ValidationError) as error:
        services.check_write_roundup(
            curator=curator, flag=flag, change_needed="", action="", who_should_act=""
        )
    assert set(error.value.error_dict) == {"change_needed", "action", "who_should_act"}


def test_comments_allow_a_safe_subset_of_markdown():
    flag = raise_flag()
    comment = services.check_add_comment(
        user=flag.raised_by,
        flag=flag,
        body="**Yes** [source](https://example.org) <script>alert(1)</script> [bad](javascript:alert(1))",
    )
    assert "<strong>Yes</strong>" in comment.body_html
    assert 'href="https://example.org"' in comment.body_html
    assert "<script>" not in comment.body_html
    assert "javascript:" not in comment.body_html.replace("[bad](javascript:alert(1))", "")


@pytest.mark.parametrize("body, field", [("", "body"), ("x" * 5001, "body")])
def test_an_empty_or_overlong_comment_is_refused(body, field):
    flag = raise_flag()
    with pytest.raises(ValidationError) as error:
        services.check_add_comment(user=flag.raised_by, flag=flag, body=body)
    assert field in error.value.error_dict
    assert not Comment.objects.exists()


def test_replies_stay_one_level_deep():
    flag = raise_flag()
    top = services.check_add_comment(user=flag.raised_by, flag=flag, body="Top")
    reply = services.check_add_comment(user=flag.raised_by, flag=flag, body="Reply", parent=top)
    deeper = services.check_add_comment(user=flag.raised_by, flag=flag, body="Deeper", parent=reply)
    assert deeper.parent_id == top.pk


def test_evidence_files_are_checked_by_content(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    flag = raise_flag()
    good = services.check_add_evidence(
        user=flag.raised_by, flag=flag, title="Photo", upload=SimpleUploadedFile("photo.png", PNG)
    )
    assert good.file_type == "image/png" and good.file.name.endswith(".png")
    pdf = services.check_add_evidence(
        user=flag.raised_by, flag=flag, title="Report", upload=SimpleUploadedFile("report.pdf", PDF)
    )
    assert pdf.file_type == "application/pdf"


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>"),
            "must be a PDF, PNG, JPG, GIF or WEBP",
        ),
        (
            SimpleUploadedFile("program.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            "must be a PDF, PNG, JPG, GIF or WEBP",
        ),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
        (SimpleUploadedFile("big.png", PNG + b"\x00" * (10 * 1024 * 1024)), "smaller than 10MB"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused(tmp_path, settings, upload, message):
    settings.MEDIA_ROOT = tmp_path
    flag = raise_flag()
    with pytest.raises(ValidationError, match=message):
        services.check_add_evidence(user=flag.raised_by, flag=flag, title="x", upload=upload)
    assert not Evidence.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_put_forward_sends_an_open_flag_to_review_with_a_public_reason():
    curator = make_user(next_email(), roles=("curator",))
    flag = raise_flag()
    services.check_put_forward(curator=curator, flag=flag, reason="Urgent and national")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.IN_REVIEW and flag.put_forward_by == curator
    with pytest.raises(ValidationError):
        services.check_put_forward(curator=curator, flag=flag, reason="Again")
