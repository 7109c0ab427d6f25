"""Reports in the formats bureaus hand in (docx, xlsx, pdf)."""
