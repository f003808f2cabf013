from django.apps import AppConfig


class AttentionLabConfig(AppConfig):
    name = "attention_lab"
    verbose_name = "Attention lab"

    def ready(self) -> None:
        from courses.markdown import register_fence

        from .fences import format_attention_fence

        register_fence(name="attention", formatter=format_attention_fence)
