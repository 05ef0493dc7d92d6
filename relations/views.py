from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from meetings.models import Meeting

from .models import Region, RelationsPage


class RelationsIndexView(ListView):
    """Every relations page, grouped by region in the editors' order."""

    template_name = "relations/relationspage_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        return Region.objects.prefetch_related(
            Prefetch("relations_pages", RelationsPage.objects.public().order_by("counterpart"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unassigned_pages"] = RelationsPage.objects.public().filter(region__isnull=True)
        return context


class RelationsPageDetailView(DetailView):
    model = RelationsPage
    context_object_name = "relations_page"

    def get_queryset(self):
        return RelationsPage.objects.public().select_related("region")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = (
            Meeting.objects.published().filter(relations_page=self.object).for_listing()
        )
        return context
