from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One periodic job queued for one period (``core.schedule``). The unique pair is what
    makes it once per period, however many schedulers are running."""

    name = models.CharField(max_length=60)
    slot = models.DateField(help_text="The day (or the Monday) of the period it ran for.")
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="core_one_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.slot}"
