from django.urls import include, path

from nhs_citizen.core.views.pages import ceiling

urlpatterns = [
    # The load benchmark's ceiling: the layout alone (not linked, not indexed, never cached).
    path("_ceiling/", ceiling, name="ceiling"),
    path("", include("nhs_citizen.core.urls")),
    path("", include("nhs_citizen.accounts.urls")),
    path("", include("nhs_citizen.notifications.urls")),
    path("gather/", include("nhs_citizen.gather.urls")),
    path("", include("nhs_citizen.moderation.urls")),
    path("selection-by-lot/", include("nhs_citizen.panels.urls")),
    path("assembly/", include("nhs_citizen.assembly.urls")),
    path("assembly/", include("nhs_citizen.meetings.urls")),
    path("tracker/", include("nhs_citizen.tracker.urls")),
    path("culture-change/", include("nhs_citizen.culture.urls")),
    path("discover/", include("nhs_citizen.discover.urls")),
    path("helpers/", include("nhs_citizen.assisted.urls")),
    path("conversations/", include("nhs_citizen.conversations.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("nhs_citizen.api.urls")),
    path("", include("nhs_citizen.easyread.urls")),
]

handler400 = "nhs_citizen.core.views.errors.bad_request"
handler403 = "nhs_citizen.core.views.errors.permission_denied"
handler404 = "nhs_citizen.core.views.errors.page_not_found"
handler500 = "nhs_citizen.core.views.errors.server_error"
