"""Several server processes behind nginx, sharing one Redis: the sample
nginx configuration (nginx.conf) and `python -m cluster`, the local demo."""
