from django.urls import path

from nhs_citizen.assisted import views

app_name = "assisted"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("activity/", views.all_activity, name="all_activity"),
    path("paper-forms/", views.paper_forms, name="paper_forms"),
    path("<slug:slug>/", views.organisation_home, name="organisation"),
    path("<slug:slug>/activity/", views.activity, name="activity"),
    path("<slug:slug>/people/new/", views.add_person, name="add_person"),
    path("<slug:slug>/people/<str:reference>/", views.person_detail, name="person"),
    path("<slug:slug>/people/<str:reference>/forget/", views.forget_person, name="forget_person"),
    path("<slug:slug>/people/<str:reference>/flag/", views.record_flag, name="record_flag"),
    path(
        "<slug:slug>/people/<str:reference>/support/", views.record_support, name="record_support"
    ),
    path(
        "<slug:slug>/people/<str:reference>/answers/", views.record_answers, name="record_answers"
    ),
    path("<slug:slug>/people/<str:reference>/story/", views.record_story, name="record_story"),
    path(
        "<slug:slug>/people/<str:reference>/pool/",
        views.record_pool_entry,
        name="record_pool_entry",
    ),
]
