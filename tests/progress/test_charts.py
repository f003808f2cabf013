"""The SVG charts: labelled axes with units, a numbers table, escaped text, and a phone layout."""
from progress.charts import axis_ticks, bar_list_chart, column_chart, scatter_chart


def test_column_chart_has_axis_titles_units_a_table_and_both_layouts():
    chart = column_chart(title="Runs", labels=["1 Nov", "2 Nov"], values=[3, 5], x_label="Day", y_label="Runs", unit="runs")
    for svg in (chart.svg, chart.svg_narrow):
        assert 'role="img"' in svg and "Runs (runs)" in svg and ">Day<" in svg
        assert svg.count('class="chart__bar"') == 2
    assert "chart__svg--wide" in chart.svg and "chart__svg--narrow" in chart.svg_narrow
    assert chart.headers == ["Day", "Runs (runs)"] and chart.rows == [["1 Nov", "3"], ["2 Nov", "5"]]
    assert "highest 5 runs at 2 Nov, total 8" in chart.summary


def test_text_in_charts_is_escaped():
    chart = bar_list_chart(title="Pass rates", labels=['<script>alert("x")</script>'], values=[50], value_label="Passed", unit="%", percent_axis=True)
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    scatter = scatter_chart(title="Items", points=[(50, 0.5, "Q1", "<b>bold</b>")], x_label="Facility", y_label="Discrimination")
    assert "<b>" not in scatter.svg


def test_bar_list_marks_missing_values_and_uses_a_percent_axis():
    chart = bar_list_chart(title="Pass rates", labels=["A", "B"], values=[None, 75], value_label="Passed", unit="%", percent_axis=True)
    assert "no data" in chart.svg and ">100<" in chart.svg and chart.rows[0][1] == "no data"


def test_axis_ticks_are_round_numbers_covering_the_maximum():
    assert axis_ticks(0) == [0, 1]
    assert axis_ticks(3) == [0, 1, 2, 3]
    assert axis_ticks(17) == [0, 5, 10, 15, 20]
    assert axis_ticks(999)[-1] >= 999 and len(axis_ticks(999)) <= 6
