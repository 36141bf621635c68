from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "assist"
    verbose_name = "Suggestions"

    def ready(self) -> None:
        from annotations.interchange.export import register_layer_source
        from annotations.layers import SUGGESTIONS_LAYER

        from .exports import suggestion_lines

        # `export_annotations --layer suggestions` writes the machine layer.
        register_layer_source(SUGGESTIONS_LAYER, suggestion_lines)
