"""`python -m lessons`: writes the project as it stands at the start or the end of any lesson of the course.

The course as data is in course.py (`state(n)`), writing a state into a folder
in writing.py (`write_state(n, directory)`), and the command line in __main__.py.
"""
