"""Exports for inspections: for one unit (with everything below it) and one period, a report
to file, as XLSX, PDF or a zip of CSVs, made by a background job (``jobs``).

What it holds is a registry of sections (``sections.SECTIONS``), each a builder giving one
titled table from SQL aggregates; the writers (``xlsx``, ``pdf``, ``csv_zip``) know tables only.
"""
