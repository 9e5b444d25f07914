from django import forms

from api.tokens import NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text="What will use it, e.g. “clinic website” or “CRM sync”.",
    )
