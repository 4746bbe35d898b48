"""Course content and its loader: Markdown lessons with YAML front matter, no web framework.

from modules import load_course, check, render_markdown, default_content_root
course = load_course(default_content_root() / "social-media-for-hcps")
"""

from modules.catalog import ContentError, Problem, check, default_content_root, load_course
from modules.model import Course, Faculty, Lesson, Module, Reference
from modules.render import render_inline, render_markdown

__all__ = [
    "ContentError",
    "Course",
    "Faculty",
    "Lesson",
    "Module",
    "Problem",
    "Reference",
    "check",
    "default_content_root",
    "load_course",
    "render_inline",
    "render_markdown",
]
