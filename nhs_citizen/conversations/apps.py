from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "nhs_citizen.conversations"
    label = "conversations"
    verbose_name = "Conversations: statements, votes and the opinion groups they show"

    def ready(self) -> None:
        from nhs_citizen.conversations import moderation

        moderation.register()
