"""What Gather holds about a person, for "Your data", and what happens when they leave."""

from __future__ import annotations

from typing import Any


def export_for_user(user) -> dict[str, Any]:
    from nhs_citizen.gather.models import CallSubmission, Comment, Evidence, Flag, Follow, Support

    return {
        "flags_you_raised": [
            {"id": f.pk, "title": f.title, "raised": f.created_at.isoformat()}
            for f in Flag.objects.filter(raised_by=user)
        ],
        "flags_you_support": [s.flag_id for s in Support.objects.filter(user=user)],
        "flags_you_follow": [f.flag_id for f in Follow.objects.filter(user=user)],
        "your_comments": [
            {"flag": c.flag_id, "written": c.created_at.isoformat(), "text": c.body}
            for c in Comment.objects.filter(author=user)
        ],
        "evidence_you_added": [
            {"flag": e.flag_id, "title": e.title, "link": e.url}
            for e in Evidence.objects.filter(added_by=user)
        ],
        "your_answers_to_calls_for_views": [
            {
                "call": s.call.title,
                "answered": s.created_at.isoformat(),
                "answers": {a.question.text: a.text for a in s.answers.select_related("question")},
            }
            for s in CallSubmission.objects.filter(user=user).select_related("call")
        ],
    }


def forget_user(user) -> None:
    """Flags, comments and evidence stay (now by a "Former member"). Following stops. Supports
    stay counted, because taking them away would change decisions already made in public."""
    from nhs_citizen.gather.models import Follow

    Follow.objects.filter(user=user).delete()
