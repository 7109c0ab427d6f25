"""Judge values against requirements: verdicts, direction, progress, projection, audit."""
