"""Checks that several rules (and the CDK constructs) share. Not a domain: it holds no rule."""
