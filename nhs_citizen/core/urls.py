from django.urls import path

from nhs_citizen.core.views import audit, organisations, pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("about/", pages.about, name="about"),
    path("accessibility-statement/", pages.accessibility, name="accessibility"),
    path("privacy-notice/", pages.privacy, name="privacy"),
    path("house-rules/", pages.house_rules, name="house_rules"),
    path("cookies/", pages.cookies, name="cookies"),
    path("open-data/", pages.open_data, name="open_data"),
    path("discover/how-it-works/", pages.discover, name="discover"),
    path("gather/how-it-works/", pages.gather, name="gather"),
    path("assembly/how-it-works/", pages.assembly, name="assembly"),
    path("tracker/how-it-works/", pages.tracker, name="tracker"),
    path("audit-log/", audit.audit_log, name="audit_log"),
    path(
        "open-data/snapshots/<str:day>/<path:name>",
        pages.open_data_snapshot_file,
        name="open_data_snapshot_file",
    ),
    path("open-data/audit-log.json", audit.audit_log_json, name="audit_log_json"),
    path("open-data/audit-log.jsonl", audit.audit_log_jsonl, name="audit_log_jsonl"),
    path("staff/audit-log/", audit.full_audit_log, name="full_audit_log"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path(
        "organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"
    ),
    path(
        "organisations/<slug:slug>/act-for/",
        organisations.request_membership,
        name="request_membership",
    ),
    path(
        "organisations/<slug:slug>/leave/",
        organisations.leave_organisation,
        name="leave_organisation",
    ),
    path(
        "staff/organisation-requests/",
        organisations.membership_requests,
        name="membership_requests",
    ),
    path(
        "staff/organisation-requests/<int:pk>/",
        organisations.decide_membership,
        name="decide_membership",
    ),
]
