"""Checking a student's own course modules against the app's reference, module by module.

The student's code is run, not trusted: it is imported and called only in a process of its
own (child.py), with a time limit per check, a memory limit and its output captured; the
parent (sandbox.py, runner.py) collects one result per check (report.py).
"""
