"""Streamlit-side helpers: state access, widgets, figures. The only package module allowed to import streamlit."""
