"""Test support shared by tests/ and bench/: a Streamlit websocket client, the load scenario, browser helpers."""
