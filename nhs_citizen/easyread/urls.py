from django.urls import path

from nhs_citizen.easyread import views
from nhs_citizen.easyread.pages import PAGES

app_name = "easyread"

_ADDRESSES = {
    "home": "easy-read/",
    "discover": "easy-read/discover/",
    "gather": "easy-read/gather/",
    "assembly": "easy-read/assembly/",
    "tracker": "easy-read/tracker/",
    "culture": "easy-read/how-nhs-bodies-respond/",
    "privacy": "easy-read/privacy-notice/",
    "join_pool": "easy-read/join-the-pool/",
    "priority_vote": "easy-read/priority-vote/",
}

urlpatterns = [
    *(path(_ADDRESSES[key], views.easy_read_page(key), name=key) for key in PAGES),
    path("paper/raise-a-flag/", views.paper_flag_form, name="paper_flag_form"),
]
