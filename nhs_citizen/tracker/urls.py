from django.urls import path

from nhs_citizen.tracker.feeds import BodyFeed, TrackerUpdatesFeed
from nhs_citizen.tracker.views import (
    board_views,
    commitment_views,
    open_data_views,
    tracker_views,
)

app_name = "tracker"

urlpatterns = [
    path("", tracker_views.index, name="index"),
    path("feed.atom", TrackerUpdatesFeed(), name="updates_feed"),
    path("bodies/", tracker_views.body_list, name="body_list"),
    path("bodies/<slug:slug>/feed.atom", BodyFeed(), name="body_feed"),
    path("bodies/<slug:slug>/", tracker_views.body_detail, name="body_detail"),
    path("responses/", tracker_views.response_list, name="response_list"),
    path("commitments/<int:pk>/", tracker_views.commitment_detail, name="commitment_detail"),
    path(
        "commitments/<int:pk>/update/", commitment_views.update_commitment, name="update_commitment"
    ),
    path(
        "commitments/<int:pk>/withdraw/",
        commitment_views.withdraw_commitment,
        name="withdraw_commitment",
    ),
    path("answers/<int:pk>/", tracker_views.answer_detail, name="answer_detail"),
    path(
        "answers/<int:pk>/add-commitment/",
        commitment_views.add_answer_commitment,
        name="add_answer_commitment",
    ),
    path("calls/<int:pk>/", tracker_views.call_outcome, name="call_outcome"),
    path(
        "calls/<int:pk>/add-commitment/",
        commitment_views.add_call_commitment,
        name="add_call_commitment",
    ),
    path("board-responses/<int:pk>/", board_views.board_response, name="board_response"),
    path(
        "board-responses/<int:pk>/add-commitment/",
        board_views.add_board_commitment,
        name="add_board_commitment",
    ),
    path("board/", board_views.board_queue, name="board_queue"),
    path("board/items/<int:pk>/respond/", board_views.respond_to_item, name="respond_to_item"),
    path(
        "board/panels/<int:pk>/respond/",
        board_views.respond_to_commission,
        name="respond_to_commission",
    ),
    path("your-commitments/", commitment_views.your_commitments, name="your_commitments"),
    path("stock-take/<slug:slug>/", tracker_views.stocktake, name="stocktake"),
    path("open-data/commitments.json", open_data_views.commitments_json, name="commitments_json"),
    path(
        "open-data/commitments.jsonl", open_data_views.commitments_jsonl, name="commitments_jsonl"
    ),
    path("open-data/commitments.csv", open_data_views.commitments_csv, name="commitments_csv"),
    path(
        "open-data/commitment-updates.csv",
        open_data_views.updates_csv,
        name="updates_csv",
    ),
]
