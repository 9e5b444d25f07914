"""iCalendar files: building them for export and e-mail, reading busy time from them."""
