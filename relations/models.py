from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify


class Region(models.Model):
    """A part of the world that groups relations pages, in an order editors choose."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveIntegerField(
        default=0, help_text="Regions are listed in ascending order of this number."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("relations:index") + f"#{self.slug}"


class RelationsPageQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("region").order_by(
            models.F("region__position").asc(nulls_last=True), "region__name", "counterpart"
        )

    def get_by_title(self, title):
        return self.get(title__iexact=title.strip())


class RelationsPage(models.Model):
    """The page about the ministry's relations with one counterpart country or body."""

    title = models.CharField(
        max_length=200,
        unique=True,
        help_text="As the page is headed, e.g. “Japan-United States of America Relations”.",
    )
    counterpart = models.CharField(
        max_length=200, help_text="The counterpart's name, e.g. “United States of America”."
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The page's address: /relations/<slug>/."
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="relations_pages",
        null=True,
        blank=True,
        help_text="Pages with no region are listed under “Other” until one is chosen.",
    )
    introduction = models.TextField(
        blank=True, help_text="Shown at the top of the page. Separate paragraphs by a blank line."
    )
    published = models.BooleanField(
        default=True,
        help_text="Shown on the public site. Pages created by an import stay hidden until a "
        "meeting on them is published or you tick this.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RelationsPageQuerySet.as_manager()

    class Meta:
        ordering = ["counterpart"]
        verbose_name = "relations page"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("relations:detail", kwargs={"slug": self.slug})

    @staticmethod
    def counterpart_from_title(title):
        """“Japan-United States of America Relations” → “United States of America”."""
        name = title.strip()
        home_prefix = f"{settings.PORTAL_HOME_COUNTRY}-"
        if name.startswith(home_prefix):
            name = name[len(home_prefix) :]
        if name.endswith(" Relations"):
            name = name[: -len(" Relations")]
        return name.strip() or title.strip()

    @classmethod
    def new_from_title(cls, title):
        """An unsaved page for a title met in an imported readout."""
        counterpart = cls.counterpart_from_title(title)
        return cls(title=title.strip(), counterpart=counterpart, slug=slugify(counterpart)[:200])
