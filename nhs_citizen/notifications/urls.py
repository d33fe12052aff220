from django.urls import path

from nhs_citizen.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/emails/", views.email_settings, name="settings"),
    path("emails/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
