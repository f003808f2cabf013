from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User


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
