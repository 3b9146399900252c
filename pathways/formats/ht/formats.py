"""Haitian Creole date formats (Django ships none for "ht"): the day before the month, as in French, which
Haitian readers also read. The month and weekday names come from our ht catalog (pathways/formats/calendar.py).
Numbers keep the site's defaults: amounts are dollars, written as the program's papers write them."""

DATE_FORMAT = "j F Y"  # 16 novanm 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
