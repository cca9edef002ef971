from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form on the site renders its fields the same accessible way."""

    field_template_name = "core/forms/field.html"
    form_template_name = "core/forms/form.html"
