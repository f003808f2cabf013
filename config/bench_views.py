"""A bare template view for the load test's yardstick (bench/run_load.py): routed only when BENCH_VIEWS=1.

It goes through the same middleware, session and user lookup as the lesson page and renders the
same base layout with a paragraph of text, so lesson rps / bare rps measures what the lesson
page itself costs (its queries, Markdown HTML, navigation), nothing else.
"""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def bare_page(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/bare.html")
