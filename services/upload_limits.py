"""How much an uploaded spreadsheet may unpack to, in one place.

An .xlsx is a zip of XML parts: a few kilobytes can inflate to gigabytes (a zip
bomb) or hold millions of parts. Every workbook is checked against these limits
before any part is read, and the XML reader stops at the element limits, so no
upload can exhaust the server's memory or time. The upload itself is capped by
MAX_CONTENT_LENGTH (config.py).
"""

#: parts (zip members) a workbook may hold; Excel writes ~10, plus one per sheet or image
MAX_MEMBERS = 1_000
#: bytes all parts may unpack to together (a 100,000-row roster unpacks to ~40 MB)
MAX_UNPACKED = 200 * 1024 * 1024
#: the most a part may inflate (unpacked ÷ packed); worksheet XML is ~10, a zip bomb ~1,000
MAX_RATIO = 200
#: parts smaller than this unpacked are not checked for ratio: they cannot do harm
RATIO_FLOOR = 1024 * 1024
#: bytes the small parts (workbook.xml, its relationships, styles.xml) may unpack to
MAX_SMALL_PART = 16 * 1024 * 1024
#: columns in a row (Excel's own limit, XFD)
MAX_COLUMNS = 16_384
#: rows in a sheet (Excel's own limit)
MAX_ROWS = 1_048_576
#: XML elements read between two rows (or two shared strings) before the file is refused:
#: a full row of 16,384 cells with rich text needs well under this
MAX_ELEMENTS_BETWEEN = 200_000
#: bytes a .csv may hold (it is read whole; a 100,000-row roster is ~12 MB)
MAX_CSV_FILE = 64 * 1024 * 1024
#: bytes a GIFT or Moodle XML file may hold (read whole; a bank of 2,000 questions is ~4 MB)
MAX_QUESTION_FILE = 16 * 1024 * 1024
