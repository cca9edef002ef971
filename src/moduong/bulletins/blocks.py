"""The blocks of an edition: the portal's own articles, chosen (news is named by a string, never
imported: bulletins is a domain app of its own), and the edition's own text."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]
ARTICLE_PAGE_TYPE = "news.ArticlePage"


class ArticleBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("portal article"), page_type=ARTICLE_PAGE_TYPE)
    intro = blocks.TextBlock(
        label=_("editor's introduction"),
        required=False,
        help_text=_("A line shown above the article in this edition."),
    )

    class Meta:
        icon = "doc-full"
        label = _("portal article")
        template = "bulletins/blocks/article.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "bulletins/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), required=False)

    class Meta:
        icon = "openquote"
        template = "bulletins/blocks/quote.html"


class DiscussionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), default="Câu hỏi thảo luận")
    questions = blocks.ListBlock(blocks.TextBlock(label=_("question")), label=_("questions"))

    class Meta:
        icon = "help"
        label = _("questions for discussion")
        template = "bulletins/blocks/discussion.html"


class EditionBody(blocks.StreamBlock):
    article = ArticleBlock()
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock(label=_("image with caption"))
    table = TableBlock(label=_("table"), template="bulletins/blocks/table.html")
    quote = QuoteBlock(label=_("quotation"))
    discussion = DiscussionBlock()
