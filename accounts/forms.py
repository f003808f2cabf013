from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User

from .throttling import login_failure_record, login_is_throttled, login_success_record


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing to even check the password after too many recent failures."""

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if login_is_throttled(username=username, request=self.request):
            raise forms.ValidationError(
                "Too many failed log-in attempts. Wait 15 minutes, or reset your password.", code="throttled"
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, request=self.request)
            raise
        login_success_record(username=username)
        return cleaned


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
