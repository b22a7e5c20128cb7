"""The app's runtime: pages reached only through app.py (`boot`), the first imports (`preload`), background
housekeeping (`housekeeping`), and every use of Streamlit's internals, guarded by tests (`internals`)."""
