from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "blockquote"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), required=False)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)
    alt = blocks.CharBlock(
        label=_("text for screen readers"),
        required=False,
        help_text=_(
            "Describe the picture for people who cannot see it; the caption is used if empty."
        ),
    )

    class Meta:
        icon = "image"
        template = "news/blocks/image.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("heading"),
        form_classname="title",
        icon="title",
        template="news/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock(label=_("image"))
    quote = QuoteBlock(label=_("quotation"))
    video = EmbedBlock(label=_("embedded video"), template="news/blocks/video.html")
    table = TableBlock(label=_("table"), template="news/blocks/table.html")
