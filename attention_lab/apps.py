from django.apps import AppConfig


class AttentionLabConfig(AppConfig):
    name = "attention_lab"
    verbose_name = "Attention lab"
