from django.urls import path

from nhs_citizen.moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("report/<str:kind>/<int:pk>/sent/", views.report_sent, name="report_sent"),
    path("appeal/<str:kind>/<int:pk>/", views.appeal, name="appeal"),
    path("moderation-log/", views.moderation_log, name="moderation_log"),
    path("staff/moderation/", views.queue, name="queue"),
    path("staff/moderation/<str:kind>/<int:pk>/", views.decide, name="decide"),
]
