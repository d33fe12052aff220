from django.urls import path

from nhs_citizen.panels.views import export_views, panel_views, pool_views

app_name = "panels"

urlpatterns = [
    path("", pool_views.about_selection, name="about_selection"),
    path("join/", pool_views.volunteer, name="volunteer"),
    path("your-answers/", pool_views.your_answers, name="your_answers"),
    path("leave/", pool_views.withdraw, name="withdraw"),
    path(
        "invitations/<int:member_pk>/",
        panel_views.respond_to_invitation,
        name="respond_to_invitation",
    ),
    path("pools/import/", pool_views.import_pool, name="import_pool"),
    path("pools/import/check/", pool_views.import_pool_preview, name="import_pool_preview"),
    path("panels/<int:pk>/export/", export_views.export_panel, name="export_panel"),
    path(
        "panels/<int:pk>/export/<str:which>.csv",
        export_views.export_stored,
        name="export_stored",
    ),
    path("panels/", panel_views.panel_list, name="panel_list"),
    path("panels/new/", panel_views.create_panel, name="create_panel"),
    path("panels/<int:pk>/", panel_views.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/check/", panel_views.check_draw, name="check_draw"),
    path("panels/<int:pk>/draw.json", panel_views.draw_inputs, name="draw_inputs"),
    path("panels/<int:pk>/probabilities.json", panel_views.distribution, name="distribution"),
    path("panels/<int:pk>/quotas/", panel_views.set_quotas, name="set_quotas"),
    path("panels/<int:pk>/fix-inputs/", panel_views.freeze_inputs, name="freeze_inputs"),
    path("panels/<int:pk>/lottery/", panel_views.make_lottery, name="make_lottery"),
    path("panels/<int:pk>/commit-seed/", panel_views.commit_seed, name="commit_seed"),
    path(
        "panels/<int:pk>/public-value/", panel_views.enter_public_value, name="enter_public_value"
    ),
    path("panels/<int:pk>/draw/", panel_views.run_draw, name="run_draw"),
    path("panels/<int:pk>/check-again/", panel_views.check_again, name="check_again"),
    path("panels/<int:pk>/jobs/<int:job_pk>/", panel_views.job_progress, name="job_progress"),
    path("panels/<int:pk>/reveal-seed/", panel_views.reveal_seed, name="reveal_seed"),
    path("panels/<int:pk>/manage/", panel_views.manage_panel, name="manage_panel"),
    path(
        "panels/<int:pk>/members/<int:member_pk>/", panel_views.member_action, name="member_action"
    ),
]
