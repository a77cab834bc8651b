"""Pulumi: resources as the engine sends them to a policy pack, or as a program registers them
under mocks, turned into facts."""
