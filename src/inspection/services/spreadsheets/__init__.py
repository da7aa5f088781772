"""Spreadsheets in and out (Excel .xlsx and CSV) and calendar feeds: how enforcement staff work.

* :mod:`.io`: reading a file into rows of text, writing rows into a file, the error types;
* :mod:`.cells`: typed values out of cells, problems collected by row and column;
* :mod:`.records`: units and enterprises, one per row;
* :mod:`.checklists`: checklists, one row per item; :mod:`.template`: the file users fill in;
* :mod:`.imports`: each file stored whole or not at all;
* :mod:`.exports` and :mod:`.round_lines`: rounds as CSV, Excel and iCalendar.
"""
