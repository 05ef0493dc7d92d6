"""The topics vocabulary and the tags in use: renaming and merging leave redirects behind."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.db.models.functions import Lower
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from taggit.admin import TagAdmin
from taggit.models import Tag

from .. import topics
from ..models import Topic, parse_synonyms

admin.site.unregister(Tag)


class TopicForm(forms.ModelForm):
    name = forms.CharField(max_length=100, help_text="As readers see it, e.g. “North Korea”.")

    class Meta:
        model = Topic
        fields = ["name", "label_ja", "synonyms"]
        labels = {"label_ja": "Name in Japanese"}
        help_texts = {"label_ja": "As Japanese pages show the topic; empty: the English name."}
        widgets = {"label_ja": forms.TextInput(attrs={"lang": "ja"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.tag.name

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Tag.objects.filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.tag_id)
        if clash.filter(topic__isnull=False).exists():
            raise forms.ValidationError(f"There is already a topic named “{name}”.")
        if self.instance.pk and clash.exists():
            raise forms.ValidationError(
                f"A tag named “{clash.first().name}” exists: merge the two in Tags instead."
            )
        return name


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """The topics vocabulary: what the importer tags, and the words that mean each topic."""

    form = TopicForm
    list_display = ["name", "synonym_list", "public_page"]
    search_fields = ["tag__name", "label_ja", "synonyms"]
    list_select_related = ["tag"]
    ordering = [Lower("tag__name")]

    def save_model(self, request, obj, form, change):
        name = form.cleaned_data["name"]
        if not change:
            obj.tag = topics.tag_named(name)
        elif obj.tag.name != name:
            topics.rename_topic(obj.tag, name)
        super().save_model(request, obj, form, change)

    @admin.display(description="Synonyms")
    def synonym_list(self, topic):
        return ", ".join(parse_synonyms(topic.synonyms)) or "—"

    @admin.display(description="Topic page")
    def public_page(self, topic):
        url = reverse("meetings:topic", kwargs={"slug": topic.tag.slug})
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Tag)
class TopicTagAdmin(TagAdmin):
    """Every tag in use. Renaming keeps the old topic address working; tags can be merged."""

    list_display = ["name", "slug", "in_vocabulary", "use_count"]
    ordering = [Lower("name"), "slug"]
    fields = ["name"]
    prepopulated_fields = {}
    # taggit's own merge leaves no redirects behind; ours (below) does.
    inlines = []
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(use_count=Count("taggit_taggeditem_items"))
            .select_related("topic")
        )

    @admin.display(description="In the topics vocabulary", boolean=True)
    def in_vocabulary(self, tag):
        return hasattr(tag, "topic")

    @admin.display(description="Uses", ordering="use_count")
    def use_count(self, tag):
        return tag.use_count

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            old = Tag.objects.get(pk=obj.pk)
            try:
                topics.rename_topic(old, obj.name)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge selected tags into one…")
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("-use_count", "name"))
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return None
        target_pk = request.POST.get("merge_into")
        target = next((tag for tag in tags if str(tag.pk) == target_pk), None)
        if target is None:
            return TemplateResponse(
                request,
                "admin/meetings/merge_tags.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Merge tags",
                    "tags": tags,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        topics.merge_topics(tags, target)
        self.message_user(
            request,
            f"Merged {len(tags) - 1} tag(s) into “{target.name}”; their old topic addresses "
            "redirect to it.",
            messages.SUCCESS,
        )
        return None
