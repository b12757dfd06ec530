"""Starter content as files (``content/``): loading banks and competitions into the database."""
