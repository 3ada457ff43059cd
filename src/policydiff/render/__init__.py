"""Renderers: each reads only the Comparison model (and Document for ``show``)."""
