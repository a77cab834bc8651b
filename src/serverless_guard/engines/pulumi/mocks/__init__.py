"""Run a Pulumi Python program offline, as a preview, under mocks that answer like a cloud.

`program.py` runs this package in a child process (`python -P .../mocks/__main__.py`): the child
reads a request (JSON) on stdin, runs the program as the Pulumi language host does, and writes
the outcome (JSON) on its own stdout. The package imports only the standard library and the
Pulumi SDK, so the program's imports and global state stay in the child, and no interpreter of
the program's virtualenv is ever executed.

- Mocks (`cloud`): every resource gets plausible outputs (`outputs`) derived from its type token
  and inputs; a resource the program names in no input gets the deterministic physical name
  `<name>-<7 hex>` (`naming`). Invokes such as `getCallerIdentity`, `getRegion` and
  `getPolicyDocument` answer too (`invokes`).
- Capture (`monitor`): each registration is recorded as the engine would hand it to a policy pack,
  with the file and line where the program declared the resource (`source`).
- Offline (`offline`): every network connection the program attempts, except to loopback, is
  refused.
"""
