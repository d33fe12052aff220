from django.urls import path

from nhs_citizen.accounts import needs_views, views

app_name = "accounts"

urlpatterns = [
    path("account/", views.your_account, name="your_account"),
    path("account/messages/read/", views.mark_messages_read, name="mark_messages_read"),
    path("account/profile/", views.edit_profile, name="edit_profile"),
    path(
        "account/communication-needs/",
        needs_views.communication_needs,
        name="communication_needs",
    ),
    path("account/other-formats/", needs_views.ask_for_format, name="ask_for_format"),
    path("account/your-data/", views.your_data, name="your_data"),
    path("account/your-data/download/", views.download_your_data, name="download_your_data"),
    path("account/delete/", views.delete_account, name="delete_account"),
    path("account/deleted/", views.account_deleted, name="account_deleted"),
    path("account/two-step-verification/", views.set_up_second_factor, name="set_up_second_factor"),
    path("staff/", views.staff_area, name="staff_area"),
    path("staff/people/", views.people, name="people"),
    path("staff/people/<int:pk>/", views.person, name="person"),
    path("staff/other-formats/", needs_views.format_requests, name="format_requests"),
    path("staff/other-formats/<int:pk>/", needs_views.format_request, name="format_request"),
]
