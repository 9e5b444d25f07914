from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts import services
from accounts.models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class ProfileUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    actions = ["delete_accounts"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an account is anonymised (accounts.services), never cascaded away

    @admin.action(
        description="Delete the selected accounts (anonymised: others' history is kept)",
        permissions=["change"],
    )
    def delete_accounts(self, request, queryset) -> None:
        for user in queryset.exclude(pk=request.user.pk):
            cancelled = services.account_delete(user=user)
            self.message_user(
                request, f"Account {user.pk} deleted; {len(cancelled)} appointment(s) cancelled."
            )
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "Your own account was left alone.", messages.WARNING)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "phone_number", "time_zone", "email_reminders")
    list_filter = ("email_reminders",)
    search_fields = ("user__username", "user__email", "phone_number")
    list_select_related = ("user",)
