from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, UserCreationForm
from django.contrib.auth.models import User
from django.http import HttpRequest

from .lockout import lockout_message


class SignupForm(UserCreationForm):
    email = forms.EmailField(help_text="Used only to reset your password.")
    first_name = forms.CharField(label="Display name", max_length=150, required=False)

    class Meta:
        model = User
        fields = ["username", "email", "first_name"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account already uses this e-mail. Log in or reset your password.", code="email_taken")
        return email


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked by authenticate(): the log-in lock-out
    counts these guesses too, so a borrowed session is not an unlimited way to try passwords."""

    def __init__(self, user: User, *args, request: HttpRequest | None = None, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(lockout_message(self.request), code="locked_out")
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
