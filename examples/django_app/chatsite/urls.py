"""URLs of the chat example: the page, its event stream, and following a background run."""

from __future__ import annotations

from django.urls import path

from chatsite import views

urlpatterns = [
    path("", views.index),
    path("chat/stream", views.chat_stream),
    path("runs/<str:thread_id>/<str:run_id>/stream", views.follow_run),
]
