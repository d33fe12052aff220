from django.urls import path

from nhs_citizen.core.views import pages

app_name = "assembly"

# The cycle pages (index, cycle, vote, jury) are added by assembly/views/.
urlpatterns = [
    path("", pages.assembly, name="index"),
]
