"""Typed, engine-neutral facts about resources. Rules read these and nothing else."""
