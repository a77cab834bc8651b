"""Engines turn a source (templates, Pulumi resources) into facts."""
