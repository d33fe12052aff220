from django.urls import path

from nhs_citizen.core.views import pages

app_name = "tracker"

urlpatterns = [
    path("", pages.tracker, name="index"),
]
