"""Mounted at /assembly/ beside the assembly app: only addresses under <cycle>/meeting/ and
panels-commissioned/ belong here."""

from django.urls import path

from nhs_citizen.meetings.views import commission_views, item_views, meeting_views

app_name = "meetings"

M = "<slug:cycle_slug>/meeting/"

urlpatterns = [
    path("panels-commissioned/", commission_views.commission_list, name="commission_list"),
    path(
        "panels-commissioned/<int:pk>/",
        commission_views.commission_detail,
        name="commission_detail",
    ),
    path("panels-commissioned/<int:pk>/panel/", commission_views.link_panel, name="link_panel"),
    path(
        "panels-commissioned/<int:pk>/report/",
        commission_views.publish_report,
        name="publish_report",
    ),
    path(
        "panels-commissioned/<int:pk>/report-file/",
        commission_views.report_file,
        name="report_file",
    ),
    path(M, meeting_views.meeting_detail, name="meeting_detail"),
    path(M + "set-up/", meeting_views.set_up_meeting, name="set_up_meeting"),
    path(M + "agenda/", meeting_views.manage_agenda, name="manage_agenda"),
    path(M + "remote-posting/", meeting_views.remote_posting, name="remote_posting"),
    path(M + "minutes/", meeting_views.write_minutes, name="write_minutes"),
    path(M + "commission/", commission_views.commission_panel, name="commission_panel"),
    path(M + "items/<int:pk>/", item_views.item_detail, name="item_detail"),
    path(M + "items/<int:pk>/edit/", item_views.edit_item, name="edit_item"),
    path(M + "items/<int:pk>/move/", item_views.move_item, name="move_item"),
    path(M + "items/<int:pk>/documents/add/", item_views.add_document, name="add_document"),
    path(M + "items/<int:pk>/notes/add/", item_views.record_note, name="record_note"),
    path(M + "items/<int:pk>/post/", item_views.post_to_thread, name="post_to_thread"),
    path(M + "documents/<int:pk>/", item_views.document_file, name="document_file"),
    path(M + "documents/<int:pk>/remove/", item_views.remove_document, name="remove_document"),
    path(M + "posts/<int:pk>/hide/", item_views.hide_post, name="hide_post"),
]
