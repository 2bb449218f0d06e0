"""What ``Workspace.open`` does behind the facade: ``plan`` (what changed since the
manifest), ``run`` (reading the changed files, in worker processes for many),
``cache`` (the parsed cache), ``lock`` (one opener of an index at a time) and
``analysis`` (building the analysis structures in another process)."""
