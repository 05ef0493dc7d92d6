from django.http import HttpResponseBadRequest


class RejectNullCharactersMiddleware:
    """Answer 400 to addresses holding a NUL character.

    PostgreSQL refuses NUL in text, so such a value would otherwise reach the database from
    a path converter, a search box or a filter and fail there with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in query
        ):
            return HttpResponseBadRequest(
                "The address contains a null character (%00), which no page here has.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
