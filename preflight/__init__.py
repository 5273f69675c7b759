"""portal-preflight: is this browser about to log in to the official provider portal?"""

__version__ = "0.1.0"
