"""CalDAV accounts: busy time from chosen calendars, appointments written back.

Inside this package `import caldav` means the installed caldav library, not this package:
absolute imports resolve from the top level, and this package is `calendars.caldav`.
"""
