"""Streamlit's own widget texts in the page's language, where Streamlit 1.67 has no parameter for them.

The file uploader's button says "Upload" and its box "20MB per file • JSON" (the server's hard cap, which
contradicts the app's own 10 MiB and is not the limit a student meets) in every language. Its button text is
replaced by the catalogue's word, and the box's English line is hidden: every uploader of ours says its limits in
its label, help or caption. A multiselect's placeholder and "Select all" are parameters (see `multiselect_texts`).
"""
from __future__ import annotations

import json

import streamlit as st

from playground.ui.state import tr

# The uploader button's word, written into its text by a script of ours (Streamlit draws "Upload" again on every
# render: a MutationObserver puts it back). The label is a catalogue string, passed as a JSON literal.
UPLOAD_JS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView;
  win.__playgroundUpload = __LABEL__;
  if (win.__playgroundUploadWord) return;
  win.__playgroundUploadWord = true;
  const SELECTOR = "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p";
  const mark = () => {
    for (const p of doc.querySelectorAll(SELECTOR)) {
      if (p.textContent !== win.__playgroundUpload) p.textContent = win.__playgroundUpload;
    }
  };
  let queued = false;
  new win.MutationObserver(() => {
    if (!queued) { queued = true; win.requestAnimationFrame(() => { queued = false; mark(); }); }
  }).observe(doc.body, {childList: true, subtree: true, characterData: true});
  mark();
})();
</script>
"""
HIDE_CSS = "<style>[data-testid='stFileUploaderDropzoneInstructions'] { display: none !important; }</style>"


def upload_js() -> str:
    """UPLOAD_JS with this session's word for "Upload"."""
    return UPLOAD_JS.replace("__LABEL__", json.dumps(tr("polish.chrome.upload"), ensure_ascii=False).replace("</", "<\\/"))


def apply() -> None:
    """Hide the uploader's English size line; write the button's word in the page's language (every run)."""
    st.html(HIDE_CSS)
    st.html(upload_js(), unsafe_allow_javascript=True)


def multiselect_texts() -> dict:
    """Keyword arguments that make a multiselect speak the page's language: our placeholder, no "Select all"."""
    return {"placeholder": tr("polish.chrome.choose"), "select_all": False}
