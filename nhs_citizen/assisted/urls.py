from django.urls import path

from nhs_citizen.assisted import views

app_name = "assisted"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("activity/", views.all_activity, name="all_activity"),
    path("<slug:slug>/", views.organisation_home, name="organisation"),
    path("<slug:slug>/activity/", views.activity, name="activity"),
    path("<slug:slug>/people/new/", views.add_person, name="add_person"),
    path("<slug:slug>/people/<str:reference>/", views.person_detail, name="person"),
    path("<slug:slug>/people/<str:reference>/flag/", views.record_flag, name="record_flag"),
    path("<slug:slug>/people/<str:reference>/support/", views.record_support, name="record_support"),
]
