"""Where things are: NHS England's 7 regions and the 42 integrated care board (ICB) areas."""

from django.db import models


class Region(models.Model):
    code = models.CharField(max_length=10, unique=True, help_text="ODS code, for example Y56.")
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Icb(models.Model):
    """The area an integrated care board covers (its integrated care system)."""

    code = models.CharField(max_length=10, unique=True, help_text="ODS code, for example QMJ.")
    name = models.CharField(
        max_length=150, unique=True, help_text="The area, for example North Central London."
    )
    slug = models.SlugField(max_length=150, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="icbs")

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB area"

    def __str__(self) -> str:
        return self.name
