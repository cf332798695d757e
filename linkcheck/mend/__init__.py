"""Mending what the audit finds: archived copies of dead, blocked, soft-404 or
drifted links (Memento), the URL the writer may have meant (capture indexes),
and edits to the draft (`linkcheck fix`).

memento.py speaks the protocol, politeness.py keeps us welcome at each archive,
select.py picks and checks a capture, candidates.py looks for the intended URL,
step.py is the one call the pipeline makes, edits.py and syntax.py change drafts.
"""
