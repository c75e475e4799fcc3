"""Hand-made .xlsx files, part by part, for what openpyxl never writes: shared strings
with rich text, a first sheet that is not sheet1.xml, the 1904 date system, macros."""
import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_xml(rows: str) -> str:
    """A worksheet part around `rows`, the <row> elements of its sheetData."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
            f'<dimension ref="A1"/><sheetData>{rows}</sheetData><mergeCells count="0"/></worksheet>')


def workbook_parts(sheets: list[tuple[str, str, str]], *, shared: list[str] | None = None,
                   styles: str | None = None, date1904: bool = False) -> dict[str, str]:
    """The parts of a workbook whose tabs are `sheets`, (tab name, part name, rows XML) in
    tab order; relationships are listed in reverse, as the order of ids is what counts."""
    listed = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, (name, _part, _rows) in enumerate(sheets, start=1))
    relations = [f'<Relationship Id="rId{n}" Target="{part.removeprefix("xl/")}" Type="'
                 f'{OFFICE_RELS}/worksheet"/>' for n, (_name, part, _rows) in enumerate(sheets, start=1)]
    parts = {part: sheet_xml(rows) for _name, part, rows in sheets}
    if shared is not None:
        relations.append(f'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="{OFFICE_RELS}'
                         f'/sharedStrings"/>')
        parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{MAIN}" count="{len(shared)}">'
                                         f'{"".join(shared)}</sst>')
    if styles is not None:
        relations.append(f'<Relationship Id="rIdY" Target="/xl/styles.xml" Type="{OFFICE_RELS}/styles"/>')
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    parts["xl/workbook.xml"] = (f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}"><workbookPr '
                                f'date1904="{int(date1904)}"/><sheets>{listed}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (f'<Relationships xmlns="{PACKAGE_RELS}">'
                                           f'{"".join(reversed(relations))}</Relationships>')
    parts["[Content_Types].xml"] = "<Types/>"
    return parts


def zip_bytes(parts: dict[str, str | bytes]) -> bytes:
    """The parts zipped, as a workbook file's bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def one_sheet(rows: str, **options) -> bytes:
    """A workbook of one sheet (sheet1.xml) whose sheetData holds `rows`."""
    return zip_bytes(workbook_parts([("Sheet1", "xl/worksheets/sheet1.xml", rows)], **options))
