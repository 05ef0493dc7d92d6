# The ministry writes months in full: May 19, 2023 (Django's English default abbreviates).
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, P"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "P"  # 9:15 a.m., as the readouts write it
