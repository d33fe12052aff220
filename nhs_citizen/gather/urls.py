from django.urls import path

from nhs_citizen.gather import call_urls
from nhs_citizen.gather.feeds import FlagTimelineFeed, NewFlagsFeed
from nhs_citizen.gather.views import (
    curation_views,
    flag_views,
    open_data_views,
    response_views,
    review_views,
)

app_name = "gather"

urlpatterns = [
    path("", flag_views.flag_list, name="flag_list"),
    path("feed.atom", NewFlagsFeed(), name="flags_feed"),
    path("raise/", flag_views.raise_flag, name="raise_flag"),
    path("flags/<int:pk>/", flag_views.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/feed.atom", FlagTimelineFeed(), name="flag_feed"),
    path("flags/<int:pk>/support/", flag_views.support_flag, name="support_flag"),
    path("flags/<int:pk>/withdraw-support/", flag_views.withdraw_support, name="withdraw_support"),
    path("flags/<int:pk>/follow/", flag_views.follow_flag, name="follow_flag"),
    path("flags/<int:pk>/unfollow/", flag_views.unfollow_flag, name="unfollow_flag"),
    path("flags/<int:pk>/comment/", flag_views.add_comment, name="add_comment"),
    path("flags/<int:pk>/evidence/", flag_views.add_evidence, name="add_evidence"),
    path("flags/<int:pk>/people/", flag_views.people_like_you, name="people"),
    path("flags/<int:pk>/merge/", curation_views.merge_flag, name="merge_flag"),
    path("flags/<int:pk>/roundup/", curation_views.write_roundup, name="write_roundup"),
    path("flags/<int:pk>/put-forward/", curation_views.put_forward, name="put_forward"),
    path("flags/<int:pk>/review/", review_views.review_flag, name="review_flag"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("responses/", response_views.referral_queue, name="referral_queue"),
    path("responses/<int:pk>/", response_views.respond, name="respond"),
    path("evidence/<int:pk>/", flag_views.evidence_file, name="evidence_file"),
    path("open-data/flags.json", open_data_views.flags_json, name="flags_json"),
    path("open-data/flags.jsonl", open_data_views.flags_jsonl, name="flags_jsonl"),
    *call_urls.urlpatterns,
]
