"""Readers of the file kinds documents arrive in: PDF, DOCX, OFD, HTML pages, and pages fetched by URL.

Each reader turns bytes into a ``Source`` (the extracted text every span will point into, plus the
metadata found on the way). Readers import only ``model`` and ``text``; ``sources`` picks the reader.
"""
