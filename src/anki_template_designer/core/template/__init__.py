"""The template language: lexer → parser (AST with spans) → renderer, filters and cloze."""

from .check import TemplateProblem, check_notetype
from .errors import ErrorKind, TemplateSyntaxError
from .nodes import Comment, Conditional, Node, Replacement, Span, Template, Text
from .parser import parse
from .renderer import RenderContext, render

__all__ = [
    "Comment",
    "Conditional",
    "ErrorKind",
    "Node",
    "RenderContext",
    "Replacement",
    "Span",
    "Template",
    "TemplateProblem",
    "TemplateSyntaxError",
    "Text",
    "check_notetype",
    "parse",
    "render",
]
