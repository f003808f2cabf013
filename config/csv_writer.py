"""The one CSV writer of every export: UTF-8 with a BOM (so spreadsheet programs pick the encoding),
CRLF rows, numbers kept as numbers, and every text cell that a spreadsheet would run as a formula
defused with a leading apostrophe (CSV injection, OWASP's list of dangerous first characters)."""
import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.text import slugify

# Cells starting with these are formulas in Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value) -> str | int | float:
    """Numbers stay numbers; text that looks like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return round(value, 2) if isinstance(value, float) else value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_text(*, header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse("\ufeff" + csv_text(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename.removesuffix(".csv"))}.csv"'
    response["Cache-Control"] = "no-store"  # grades and answers are personal data
    return response
