from django.urls import path

from nhs_citizen.conversations import views

app_name = "conversations"

C = "<slug:slug>/"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("open/flag/<int:flag_pk>/", views.open_on_flag, name="open_on_flag"),
    path(
        "open/assembly/<slug:cycle_slug>/items/<int:item_pk>/",
        views.open_on_agenda_item,
        name="open_on_agenda_item",
    ),
    path("open/call/<int:call_pk>/", views.open_on_call, name="open_on_call"),
    path(C, views.conversation_detail, name="detail"),
    path(C + "add/", views.add_statement, name="add_statement"),
    path(C + "change/", views.change_conversation, name="change"),
    path(C + "close/", views.close_conversation, name="close"),
    path(C + "report/", views.report, name="report"),
    path(C + "statements/<int:number>/", views.statement_detail, name="statement"),
    path(C + "statements/<int:number>/vote/", views.vote, name="vote"),
    path(C + "statements/<int:number>/hide/", views.hide_statement, name="hide_statement"),
    path(C + "polis/<str:filename>", views.download, name="download"),
]
