from django.urls import path

from nhs_citizen.discover.views import curator_views, host_views, public_views

app_name = "discover"

urlpatterns = [
    # The state of the conversation: public.
    path("", public_views.dashboard, name="dashboard"),
    path("topics/<int:pk>/", public_views.topic_detail, name="topic_detail"),
    path("statements/", public_views.item_list, name="item_list"),
    path("statements/<int:pk>/", public_views.item_detail, name="item_detail"),
    path("network/", public_views.network, name="network"),
    path("sources/<int:pk>/", public_views.source_detail, name="source_detail"),
    path("flags/<int:flag_pk>/", public_views.flag_sources, name="flag_sources"),
    path("statements.csv", public_views.items_csv, name="items_csv"),
    path("statements.jsonl", public_views.items_jsonl, name="items_jsonl"),
    path("topics.json", public_views.topics_json, name="topics_json"),
    # Telling us, and hosts' notes from events.
    path("tell-us/", host_views.tell_us, name="tell_us"),
    path("tell-us/thank-you/", host_views.tell_us_done, name="tell_us_done"),
    path("upload/", host_views.upload, name="upload"),
    path("upload/<int:pk>/columns/", host_views.upload_columns, name="upload_columns"),
    # Curators.
    path("pipeline/", curator_views.pipeline, name="pipeline"),
    path("pipeline/process/", curator_views.process_now, name="process_now"),
    path("pipeline/find-topics/", curator_views.find_topics, name="find_topics"),
    path("sources/new/", curator_views.source_form, name="source_new"),
    path("sources/<int:pk>/edit/", curator_views.source_form, name="source_edit"),
    path("sources/<int:pk>/fetch/", curator_views.fetch_now, name="fetch_now"),
    path("sources/<int:pk>/pause/", curator_views.pause_source, name="pause_source"),
    path("sources/<int:pk>/resume/", curator_views.resume_source, name="resume_source"),
    path("topics/<int:pk>/rename/", curator_views.rename_topic, name="rename_topic"),
    path("topics/<int:pk>/merge/", curator_views.merge_topic, name="merge_topic"),
    path("topics/<int:pk>/split/", curator_views.split_topic, name="split_topic"),
    path("topics/<int:pk>/hide/", curator_views.hide_topic, name="hide_topic"),
    path("topics/<int:pk>/show/", curator_views.show_topic, name="show_topic"),
    path("topics/<int:pk>/flag/", curator_views.flag_topic, name="flag_topic"),
    path("statements/<int:pk>/hide/", curator_views.hide_item, name="hide_item"),
    path("statements/<int:pk>/show/", curator_views.show_item, name="show_item"),
    path("to-check/", curator_views.review_queue, name="review_queue"),
    path("to-check/<int:pk>/", curator_views.review_item, name="review_item"),
    path(
        "statements/<int:pk>/put-back/<int:number>/",
        curator_views.restore_words,
        name="restore_words",
    ),
]
