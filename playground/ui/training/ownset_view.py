"""The "Your pictures" panel of the Training lab: classes, uploads, camera, zip in and out, thumbnails, split.

Class and file names are the user's text: they reach the page through st.text, dataframe cells, widget
values, or messages.plain inside markdown (radio labels, captions), never as markup.
"""
from __future__ import annotations

import streamlit as st

from playground.training import datasets
from playground.training import ownset as O
from playground.training.ownset import OwnSetError, small_set_defaults
from playground.training.zipset import write_zip
from playground.ui import alt, bind, messages
from playground.ui.state import OWN_DEFAULTS, OWN_LAST_DATASET, button_key, get_spec, read, tr, widget_key, write
from playground.ui.training import ownset_store as store

PER_PAGE = 16  # thumbnails per page: 2 rows of 8, about their stored 64 px each
COLUMNS = 8
PAGE_BUTTONS = 8  # up to this many pages get a button each; more get a slider
PROBLEMS_SHOWN = 30
PICTURE_BYTES = 21 * 1024  # about one stored picture: "full" a little before the byte cap refuses one


def on_dataset(dataset: str) -> None:
    """Right after the data-set radio: switching to Your pictures applies the small-set defaults once per tab."""
    last = st.session_state.get(OWN_LAST_DATASET)
    st.session_state[OWN_LAST_DATASET] = dataset
    if dataset == "yours" and last not in (None, "yours") and OWN_DEFAULTS not in st.session_state:
        apply_defaults()
    elif st.session_state.get(OWN_DEFAULTS) == "new" and last == "yours":
        st.session_state[OWN_DEFAULTS] = "done"  # the note is said once, on the run that applied them


def apply_defaults() -> None:
    """Write small_set_defaults() into the spec (a teacher's locked settings stay as they are)."""
    for path, value in small_set_defaults().items():
        if path != "train.dataset" and not bind.locked(path):
            write(path, value)
    st.session_state[OWN_DEFAULTS] = "new"


def _defaults_text() -> str:
    """What the small-set settings give: a setting the teacher locked is named with the value it keeps."""
    spec = get_spec()
    d = {p: spec.get(p) if bind.locked(p) else v for p, v in small_set_defaults().items()}
    text = tr("own.defaults_applied", size=d["train.size"], lr=f"{d['train.lr']:g}", batch=d["train.batch"],
              epochs=d["train.epochs"], norm=tr(f"image.methods.{d['norm.method']}"),
              flip=round(100 * d["augment.p_hflip"]), angle=d["augment.max_angle"])
    kept = [p for p in small_set_defaults() if p != "train.dataset" and bind.locked(p)]
    return text + (" " + tr("own.defaults_locked", count=len(kept)) if kept else "")


def defaults_note() -> None:
    """Say once that the small-set settings were applied; afterwards offer them again if they were changed."""
    if st.session_state.get(OWN_DEFAULTS) == "new":
        st.info(_defaults_text(), icon=":material/tune:")
        return
    spec = get_spec()
    if any(spec.get(p) != v for p, v in small_set_defaults().items()):
        st.button(tr("own.defaults_again"), key=button_key("own.defaults"), on_click=apply_defaults,
                  icon=":material/tune:", help=_defaults_text())


def _summary(own) -> str:
    return tr("own.summary", classes=len(own.names), total=own.total, max=O.MAX_PICTURES,
              mb=f"{own.stored_bytes / 2**20:.1f}", max_mb=O.MAX_BYTES // 2**20)


def _full(own) -> bool:
    return own.total >= O.MAX_PICTURES or own.stored_bytes + PICTURE_BYTES > O.MAX_BYTES


def counts_line(own) -> None:
    """One line per set: every class with its count, ✓ or what it still needs."""
    parts = [tr("own.count_ok", name=messages.plain(n), n=c) if c >= O.MIN_PER_CLASS
             else tr("own.count_short", name=messages.plain(n), n=c, more=O.MIN_PER_CLASS - c)
             for n, c in zip(own.names, own.counts, strict=True)]
    st.markdown(" · ".join(parts))
    if own.ready:
        st.caption(tr("own.ready", need=O.MIN_PER_CLASS))


def feedback(d) -> None:
    """What the last action did, and every file it refused, each named (as text)."""
    if d.notice is not None:
        st.success(messages.text(d.notice), icon=":material/check:")
    if d.problems:
        n = len(d.problems)
        st.warning(tr("own.problems_one") if n == 1 else tr("own.problems", n=n), icon=":material/report:")
        lines = [_problem_line(p) for p in d.problems[:PROBLEMS_SHOWN]]
        if len(d.problems) > PROBLEMS_SHOWN:
            lines.append(tr("own.problems_more", n=len(d.problems) - PROBLEMS_SHOWN))
        st.text("\n".join(lines))


def _problem_line(problem) -> str:
    """“file”: reason, as plain text (st.text shows it literally, so nothing is escaped)."""
    reason = tr(problem.message.key, **problem.message.params)
    return tr("ownset.problem", file=problem.file, reason=reason) if problem.file else reason


def class_picker(d) -> int:
    """Which class the uploads and shots go to; returns its index."""
    own, key = d.own, widget_key("own.class")
    k = store._chosen(d)
    st.session_state[key] = k
    names = {i: tr("own.class_option", name=messages.plain(n), n=c)
             for i, (n, c) in enumerate(zip(own.names, own.counts, strict=True))}
    st.radio(tr("own.class_pick"), options=tuple(names), format_func=names.__getitem__, horizontal=True, key=key,
             on_change=store.choose, args=(key,))
    return k


def class_editor(d, k: int) -> None:
    """Name, add / remove a class, uploads and camera for class k."""
    own, key = d.own, widget_key(f"own.name.{k}")
    if st.session_state.get(key) != own.names[k]:
        st.session_state[key] = own.names[k]  # seeded from the set, like bind.control
    st.text_input(tr("own.name"), key=key, max_chars=O.MAX_NAME, on_change=store.on_rename, args=(k,),
                  help=tr("own.name_help"))
    if (why := d.name_error.pop(k, None)) is not None:
        st.error(messages.text(why))
    left, right = st.columns(2)
    left.button(tr("own.add_class"), key=button_key("own.add_class"), on_click=store.add_class,
                disabled=len(own.names) >= O.MAX_CLASSES, icon=":material/add:", width="stretch")
    right.button(tr("own.remove_class"), key=button_key("own.remove_class"), on_click=store.remove_class, args=(k,),
                 disabled=len(own.names) <= 2, icon=":material/remove:", width="stretch")
    full = _full(own)
    st.file_uploader(tr("own.upload"), accept_multiple_files=True, key=d.key("upload"), on_change=store.on_upload,
                     help=tr("own.upload_help"), disabled=full)
    if bind.toggle("view.train.own_camera", "own.camera_on"):
        st.camera_input(tr("own.camera"), key=d.key("camera"), on_change=store.on_shot, help=tr("own.camera_help"),
                        disabled=full)


def thumbnails(d, k: int) -> None:
    """The class's pictures, a page at a time, each with a delete button."""
    pictures = d.own.pictures(k)
    st.markdown(f"**{tr('own.thumbs', n=len(pictures))}**")
    if not pictures:
        st.caption(tr("own.thumbs_none"))
        return
    pages = -(-len(pictures) // PER_PAGE)
    d.page = min(d.page, pages - 1)
    if pages > 1:
        d.page = page_picker(d.page, pages, widget_key(f"own.page.{k}"))
    cols = st.columns(COLUMNS)
    for i, picture in enumerate(pictures[d.page * PER_PAGE:(d.page + 1) * PER_PAGE]):
        col = cols[i % COLUMNS]
        col.image(picture.thumbnail, width="stretch", alt=alt.photo(picture.pixels, picture.file))
        col.button("", icon=":material/delete:", key=button_key(f"own.del.{picture.id}"), help=tr("own.thumb_delete_help"),
                   on_click=store.delete_picture, args=(picture.id,), width="stretch", type="tertiary")


def page_picker(page: int, pages: int, key: str) -> int:
    """Which page of thumbnails (0-based): buttons for a few pages, a slider for many."""
    if pages <= PAGE_BUTTONS:
        picked = st.segmented_control(tr("own.thumbs_page"), options=tuple(range(pages)), default=page,
                                      format_func=lambda i: str(i + 1), key=key)
        return page if picked is None else picked
    return st.slider(tr("own.thumbs_page"), 1, pages, page + 1, key=key) - 1


def set_row(d) -> None:
    """Read a zip (replaces the set), export the set, empty it."""
    own = d.own
    left, right = st.columns([3, 2])
    left.file_uploader(tr("own.zip"), key=d.key("zip"), on_change=store.on_zip, help=tr("own.zip_help"))
    right.download_button(tr("own.export"), data=lambda: write_zip(own), file_name="pictures.zip",
                          mime="application/zip", key=button_key("own.export"), disabled=own.total == 0,
                          icon=":material/download:", on_click="ignore", help=tr("own.export_help"), width="stretch")
    with right.popover(tr("own.clear_set"), icon=":material/delete_sweep:", disabled=own.total == 0, width="stretch"):
        st.button(tr("own.clear_confirm", n=own.total), key=button_key("own.clear"), on_click=store.clear_set,
                  type="primary", icon=":material/delete_forever:")


def split_table(own) -> None:
    """The stratified, seeded split per class, as the next run will use it."""
    spec = get_spec()
    try:
        ds = datasets.load(spec.train, spec.norm.method, own=own)
    except OwnSetError:
        return
    st.markdown(f"**{tr('own.split_title')}**")
    rows = [{tr("own.col_class"): name, tr("own.col_total"): a + b, tr("own.col_train"): a, tr("own.col_val"): b}
            for name, (a, b) in zip(ds.classes, datasets.split_counts(ds), strict=True)]
    st.dataframe(rows, hide_index=True, width="content")


def from_image_lab() -> None:
    """Say which Image lab settings the training uses."""
    spec = get_spec()
    norm = tr("train.norm_none") if spec.norm.method == "none" else tr(f"image.methods.{spec.norm.method}")
    if spec.train.augment:
        aug = spec.augment
        st.caption(tr("own.from_image_lab", norm=norm, h=round(100 * aug.p_hflip), v=round(100 * aug.p_vflip),
                      a=aug.max_angle))
    else:
        st.caption(tr("own.augment_off", norm=norm))


def _panel_toggled() -> None:
    write("view.train.own_open", bool(st.session_state.get(widget_key("view.train.own_open"))))


def panel() -> None:
    """The whole panel, in an expander that Start closes (so the live curve moves up) and a click reopens."""
    d = store.desk()
    key = widget_key("view.train.own_open")
    st.session_state[key] = read("view.train.own_open")
    label = f"{tr('own.title')} · {_summary(d.own)}"
    with st.expander(label, key=key, on_change=_panel_toggled, icon=":material/photo_library:") as box:
        if not box.open:
            return
        defaults_note()
        st.caption(tr("own.intro", need=O.MIN_PER_CLASS))
        counts_line(d.own)
        feedback(d)
        if _full(d.own):
            st.warning(tr("own.full", max=O.MAX_PICTURES, max_mb=O.MAX_BYTES // 2**20))
        k = class_picker(d)
        left, right = st.columns([2, 3], gap="large")
        with left:
            class_editor(d, k)
        with right:
            thumbnails(d, k)
        set_row(d)
        split_table(d.own)
        from_image_lab()
