from django.urls import register_converter


class TwoDigitConverter:
    """Months and days in addresses as two digits: /2023/05/09/."""

    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        year = int(value)
        if year < 1:
            raise ValueError("there is no year 0")  # Django then answers 404
        return year

    def to_url(self, value):
        return f"{int(value):04d}"


# Registered once, here: both urls modules use them.
register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")
