from django.conf import settings
from django.db import models


def user_field(**options):
    """Who did something (created a row, submitted it, took a step), by user.

    The row outlives the account: deleting a user only empties the field. No reverse
    accessor is made on the user model."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        **options,
    )
