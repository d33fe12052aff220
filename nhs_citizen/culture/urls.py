from django.urls import path

from nhs_citizen.culture.views import measures_views, story_views

app_name = "culture"

urlpatterns = [
    path("", measures_views.league_table, name="league_table"),
    path("measures.csv", measures_views.measures_csv, name="measures_csv"),
    path("measures.json", measures_views.measures_json, name="measures_json"),
    path("measures.jsonl", measures_views.measures_jsonl, name="measures_jsonl"),
    path("bodies/<slug:slug>/", measures_views.body_detail, name="body_detail"),
    path("bodies/<slug:slug>/flags/", measures_views.body_flags, name="body_flags"),
    path("stories/", story_views.story_list, name="story_list"),
    path("stories/tell/", story_views.tell_story, name="tell_story"),
    path("stories/waiting/", story_views.story_queue, name="story_queue"),
    path("stories/<int:pk>/", story_views.story_detail, name="story_detail"),
    path("stories/<int:pk>/decide/", story_views.decide_story, name="decide_story"),
    path("stories/<int:pk>/hide/", story_views.hide_story, name="hide_story"),
    path("stories/<int:pk>/put-back/", story_views.restore_story, name="restore_story"),
]
