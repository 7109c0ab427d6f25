"""Ingest: read .docx, Apache Tika text exports and .xlsx into a Document, then into a Plan."""
