"""Streamlit's own widget texts in the page's language, where Streamlit 1.67 has no parameter for them.

The file uploader's button says "Upload" and its box "20MB per file • JSON" (the server's hard cap, which
contradicts the app's own 10 MiB and is not the limit a student meets) in every language. Its button text is
replaced by the catalogue's word, and the box's English line is hidden: every uploader of ours says its limits in
its label, help or caption. The camera's buttons and messages, the select boxes' "Open" / "Clear" button names
and the "Page not found" dialog are written over the same way (`rules`). A multiselect's placeholder and
"Select all" are parameters (see `multiselect_texts`).
"""
from __future__ import annotations

import json

import streamlit as st

from playground.ui.state import tr

# Streamlit's own English words, written over in the page's language by a script of ours. Streamlit draws its
# words again on every render, so a MutationObserver puts ours back. Each rule names elements (`sel`) and either
# their text nodes or one attribute (`attr`); `words` maps an English text to ours ("*" matches any text), and
# `patterns` an English regular expression to ours, with $1 for its group. The rules are a JSON literal of
# catalogue strings; the script holds no text of its own.
TEXTS_JS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView;
  win.__playgroundRules = __RULES__;
  if (win.__playgroundChrome) return;
  win.__playgroundChrome = true;
  const ours = (rule, text) => {
    const key = text.trim();
    if (!key) return null;
    const words = rule.words || {};
    if (key in words) return text.replace(key, words[key]);
    if ("*" in words) return key === words["*"] ? null : words["*"];
    for (const [pattern, word] of rule.patterns || []) {
      const found = new RegExp(pattern).exec(key);
      if (found) return text.replace(key, word.replace("$1", found[1] || ""));
    }
    return null;
  };
  const mark = () => {
    for (const rule of win.__playgroundRules) {
      for (const el of doc.querySelectorAll(rule.sel)) {
        if (rule.attr) {
          const value = el.getAttribute(rule.attr);
          const word = value === null ? null : ours(rule, value);
          if (word !== null && word !== value) el.setAttribute(rule.attr, word);
          continue;
        }
        const walker = doc.createTreeWalker(el, win.NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const word = ours(rule, node.nodeValue);
          if (word !== null && word !== node.nodeValue) node.nodeValue = word;
        }
      }
    }
  };
  let queued = false;
  new win.MutationObserver(() => {
    if (!queued) { queued = true; win.requestAnimationFrame(() => { queued = false; mark(); }); }
  }).observe(doc.body, {childList: true, subtree: true, characterData: true, attributes: true,
                        attributeFilter: ["aria-label", "alt"]});
  mark();
})();
</script>
"""
HIDE_CSS = "<style>[data-testid='stFileUploaderDropzoneInstructions'] { display: none !important; }</style>"
CAMERA = "[data-testid='stCameraInput']"
PICKERS = "[data-testid='stSelectbox'] [aria-label], [data-testid='stMultiSelect'] [aria-label]"


def rules() -> list[dict]:
    """What the script writes over, in this session's language."""
    c = "polish.chrome."
    return [
        {"sel": "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p",
         "words": {"*": tr(c + "upload")}},
        {"sel": f"{CAMERA} [data-testid='stCameraInputButton']",
         "words": {"Take Photo": tr(c + "take_photo"), "Clear photo": tr(c + "clear_photo"),
                   "Uploading...": tr(c + "uploading")}},
        {"sel": f"{CAMERA} [aria-label]", "attr": "aria-label", "words": {"Switch camera": tr(c + "switch_camera")}},
        {"sel": f"{CAMERA} img", "attr": "alt", "words": {"Snapshot": tr(c + "snapshot")}},
        {"sel": CAMERA, "words": {"This app would like to use your camera.": tr(c + "camera_ask"),
                                  "Learn how to allow access.": tr(c + "camera_how")}},
        {"sel": PICKERS, "attr": "aria-label", "words": {"Open": tr(c + "open"), "Clear all": tr(c + "clear_all"),
                                                         "Clear value": tr(c + "clear_value")}},
        {"sel": "[role='dialog'] [aria-label]", "attr": "aria-label", "words": {"Close": tr(c + "close")}},
        {"sel": "[role='dialog']", "words": {"Page not found": tr(c + "not_found")},
         "patterns": [[r"^You have requested page (.*), but no corresponding file was found in the app's pages/ "
                       r"directory\. Running the app's main page\.$", tr(c + "not_found_page", page="$1")],
                      [r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
                       tr(c + "not_found_any")]]},
    ]


def texts_js() -> str:
    """TEXTS_JS with this session's rules."""
    return TEXTS_JS.replace("__RULES__", json.dumps(rules(), ensure_ascii=False).replace("</", "<\\/"))


def apply() -> None:
    """Hide the uploader's English size line; write Streamlit's own words in the page's language (every run)."""
    st.html(HIDE_CSS)
    st.html(texts_js(), unsafe_allow_javascript=True)


def multiselect_texts() -> dict:
    """Keyword arguments that make a multiselect speak the page's language: our placeholder, no "Select all"."""
    return {"placeholder": tr("polish.chrome.choose"), "select_all": False}
