"""Display-only helpers: Markdown (sanitized), short ARNs, outcome badges."""

from __future__ import annotations

import json

import markdown as md
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_TAGS = {"p", "a", "code", "pre", "em", "strong", "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "table",
         "thead", "tbody", "tr", "th", "td", "br", "hr"}


@register.filter
def markdown(text: str) -> str:
    """Render Markdown and keep only safe HTML (scripts, handlers and styles are removed)."""
    html = md.markdown(text or "", extensions=["fenced_code", "tables"])
    return mark_safe(nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer"))


@register.filter
def short_arn(arn: str) -> str:
    """arn:aws:iam::111122223333:role/App -> 111122223333:role/App"""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return arn
    parts = arn.split(":", 5)
    return f"{parts[4]}:{parts[5]}" if parts[4] else parts[5]


OUTCOME_STYLE = {
    "allow": ("success", "✓", "Allowed"),
    "deny": ("danger", "✗", "Denied"),
    "explicit-deny": ("danger", "✗", "Explicitly denied"),
    "implicit-deny": ("warning", "✗", "Implicitly denied"),
}


@register.simple_tag
def outcome_badge(outcome: str):
    """An outcome as a badge with an icon and words (never colour alone)."""
    style, icon, words = OUTCOME_STYLE.get(outcome, ("secondary", "!", outcome))
    return format_html('<span class="badge text-bg-{}"><span aria-hidden="true">{}</span> {}</span>',
                       style, icon, words)


@register.simple_tag
def pass_badge(passed: bool):
    if passed:
        return mark_safe('<span class="badge text-bg-success"><span aria-hidden="true">✓</span> Pass</span>')
    return mark_safe('<span class="badge text-bg-danger"><span aria-hidden="true">✗</span> Fail</span>')


_TICKS = __import__("re").compile(r"`([^`]+)`")


@register.filter
def codeticks(text: str) -> str:
    """Escape a sentence and show its `backticked` parts as code (the reason catalogue's convention)."""
    from django.utils.html import escape

    return mark_safe(_TICKS.sub(r"<code>\1</code>", escape(text or "")))


@register.filter
def tojson(value) -> str:
    return json.dumps(value, indent=2)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)

