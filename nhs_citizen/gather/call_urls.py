"""Calls for views. Spliced into the gather namespace by gather/urls.py."""

from django.urls import path

from nhs_citizen.gather.views import call_views

urlpatterns = [
    path("calls/", call_views.call_list, name="call_list"),
    path("calls/open/", call_views.open_call, name="open_call"),
    path("calls/<int:pk>/", call_views.call_detail, name="call_detail"),
    path("calls/<int:pk>/outcome/", call_views.publish_outcome, name="publish_outcome"),
    path("calls/<int:pk>/answers.csv", call_views.download_answers, name="download_answers"),
]
