"""A minimal Streamlit client over the app's own websocket protocol: one object is one browser tab.

It sends what the frontend sends (BackMsg.rerun_script with widget states, fragment reruns for
`run_every`), reads the ForwardMsgs of each run, fetches the run's pictures (media URLs) like a browser,
and records exceptions and error alerts that a student would see.
"""
from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid
from dataclasses import dataclass, field, replace

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RERUN_STARTED = 2  # ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN: another run follows
ERROR_ALERT = 1  # Alert.Format.ERROR


class ClientError(RuntimeError):
    """A run that timed out, a closed socket or a media URL that did not load."""


@dataclass
class Run:
    """What one script run sent: widgets by user key, alert texts, exceptions and media URLs."""

    widgets: dict[str, tuple[object, str]] = field(default_factory=dict)  # key -> (widget proto, fragment id)
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (format, body)
    exceptions: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # of the pictures, in order
    markdown: list[str] = field(default_factory=list)  # bodies of st.markdown elements, in order
    auto: dict[str, float] = field(default_factory=dict)  # fragment id -> run_every interval (s)
    full: bool = False  # the whole page ran (not only a fragment)

    def texts(self, fmt: int | None = None) -> list[str]:
        """Alert bodies, optionally of one format only."""
        return [body for f, body in self.alerts if fmt is None or f == fmt]


def user_key(widget_id: str) -> str:
    """'$$ID-<hash>-layers.btn.load' -> 'layers.btn.load' (the key the page gave the widget)."""
    return widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else widget_id


class Tab:
    """One student's browser tab: a websocket session on one page."""

    def __init__(self, base_url: str, timeout: float = 60.0, locale: str = "en-US"):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.locale = locale
        self.ws = None
        self.page = ""
        self.query = ""
        self.hashes: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[str, tuple[object, str]] = {}
        self.states: dict[str, WidgetState] = {}
        self.auto: dict[str, float] = {}  # fragment id -> interval (s)
        self.cookie: str | None = None  # what the page load set (XSRF token, a proxy's sticky-route cookie)

    async def connect(self) -> None:
        """Open the websocket the way the frontend does (same-origin, 'streamlit' subprotocol)."""
        if self.cookie is None:  # a browser loads the page first; keep the cookies it is given
            page = await asyncio.to_thread(_page_cookies, self.base + "/", self.timeout)
            # the frontend then asks /_stcore/health, which sets the XSRF cookie that uploads must echo
            health = await asyncio.to_thread(_page_cookies, self.base + "/_stcore/health", self.timeout)
            self.cookie = "; ".join(c for c in (page, health) if c)
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.base, max_size=None,
                                           open_timeout=self.timeout, additional_headers=headers)

    async def close(self) -> None:
        """Close the tab."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def open(self, page: str, query: str | None = None) -> Run:
        """Navigate to a page (url path, '' for the default page), like a click in the sidebar or a link."""
        if self.ws is None:
            await self.connect()
        self.page = page
        self.query = self.query if query is None else query
        self.states.clear()
        self.widgets.clear()
        return await self.rerun()

    async def set(self, key: str, value) -> Run:
        """Change one widget (slider release, select, toggle) and wait for the rerun it causes."""
        proto, fragment = self.widgets[key]
        state = WidgetState(id=proto.id)
        kind = type(proto).__name__
        if kind == "Slider":
            state.double_array_value.data[:] = [float(value)]
        elif kind in ("Selectbox", "Radio"):
            text = value if isinstance(value, str) else proto.options[value]
            state.string_value = text
        elif kind == "Checkbox":
            state.bool_value = bool(value)
        elif kind == "NumberInput":
            state.double_value = float(value)
        elif kind == "TextInput":
            state.string_value = str(value)
        else:
            raise ClientError(f"no setter for {kind}")
        self.states[proto.id] = state
        return await self.rerun(fragment=fragment)

    async def burst(self, key: str, values, shows) -> Run:
        """Release a slider at each value in turn without waiting for any run, as a hurried student's browser
        sends them; then read runs (earlier ones are preempted or merged by the server) until shows(run) says
        one shows the last value, and return it (widget values are not echoed: the page's output tells)."""
        proto, fragment = self.widgets[key]
        for value in values:
            state = WidgetState(id=proto.id)
            state.double_array_value.data[:] = [float(value)]
            self.states[proto.id] = state
            await self.ws.send(self._request(fragment=fragment).SerializeToString())
        while not shows(run := await asyncio.wait_for(self._read_run(), self.timeout)):
            pass
        await self._fetch_media(run.media)
        return run

    async def click(self, key: str) -> Run:
        """Press a button (a one-shot trigger, not kept in the states)."""
        proto, fragment = self.widgets[key]
        return await self.rerun(WidgetState(id=proto.id, trigger_value=True), fragment=fragment)

    def key_starting(self, prefix: str) -> str:
        """The key of the widget whose key starts with prefix (keys that carry a generation counter)."""
        return next(k for k in self.widgets if k.startswith(prefix))

    async def upload(self, key: str, files: list[tuple[str, bytes, str]]) -> Run:
        """Upload (name, bytes, mime) files to a file uploader like the browser: ask for URLs, PUT each, rerun."""
        proto, fragment = self.widgets[key]
        request_id = str(uuid.uuid4())
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.extend(name for name, _, _ in files)
        await self.ws.send(msg.SerializeToString())
        urls = await asyncio.wait_for(self._file_urls(request_id), self.timeout)
        state = FileUploaderState()
        for (name, data, mime), url in zip(files, urls, strict=True):
            await asyncio.to_thread(_put, self.base + url.upload_url, name, data, mime, self.cookie, self.timeout)
            info = state.uploaded_file_info.add()
            info.file_id, info.name, info.size = url.file_id, name, len(data)
            info.file_urls.CopyFrom(url)
        trigger = WidgetState(id=proto.id)
        trigger.file_uploader_state_value.CopyFrom(state)
        return await self.rerun(trigger, fragment=fragment)

    async def _file_urls(self, request_id: str):
        """Read messages until the file_urls_response to our request."""
        async for data in self.ws:
            fm = ForwardMsg()
            fm.ParseFromString(data)
            if fm.WhichOneof("type") == "file_urls_response" and fm.file_urls_response.response_id == request_id:
                return list(fm.file_urls_response.file_urls)
        raise ClientError("the server closed the websocket")

    async def tick(self, fragment: str) -> Run:
        """One run_every tick of a fragment, as the frontend's timer sends it."""
        return await self.rerun(fragment=fragment, auto=True)

    async def rerun(self, trigger: WidgetState | None = None, fragment: str = "", auto: bool = False) -> Run:
        """Send one rerun request and read messages until that run has finished."""
        await self.ws.send(self._request(trigger, fragment, auto).SerializeToString())
        run = await asyncio.wait_for(self._read_run(), self.timeout)
        await self._fetch_media(run.media)
        return run

    def _request(self, trigger: WidgetState | None = None, fragment: str = "", auto: bool = False) -> BackMsg:
        """The rerun request the frontend sends with this tab's widget states."""
        msg = BackMsg()
        req = msg.rerun_script
        req.query_string = self.query
        req.page_name = self.page
        req.page_script_hash = self.hashes.get(self.page, "")
        req.fragment_id = fragment
        req.is_auto_rerun = auto
        req.context_info.locale = self.locale
        req.context_info.url = f"{self.base}/{self.page}"
        req.widget_states.widgets.extend(list(self.states.values()) + ([trigger] if trigger else []))
        return msg

    async def _read_run(self) -> Run:
        """Messages until a script_finished that is not followed by another run."""
        run = Run()
        async for data in self.ws:
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                self._delta(fm.delta, run)
            elif kind == "navigation":
                self.hashes.update({p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages})
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "auto_rerun":
                run.auto[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
            elif kind == "script_finished" and fm.script_finished == RERUN_STARTED:
                run = replace(Run(), widgets=run.widgets, auto=run.auto, full=run.full)  # the next run redraws
            elif kind == "script_finished":
                # a full run re-registers the run_every fragments it still draws; the others stop
                self.auto = run.auto if run.full else {**self.auto, **run.auto}
                return run
        raise ClientError("the server closed the websocket")

    def _delta(self, delta, run: Run) -> None:
        """Record one element: widget, alert, exception or picture."""
        run.full = run.full or not delta.fragment_id
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "exception":
            run.exceptions.append(f"{body.type}: {body.message}")
        elif kind == "alert":
            run.alerts.append((body.format, body.body))
        elif kind == "markdown":
            run.markdown.append(body.body)
        elif kind == "imgs":
            run.media.extend(img.url for img in body.imgs if img.url.startswith("/media/"))
            run.captions.extend(img.caption for img in body.imgs)
        elif getattr(body, "id", "").startswith("$$ID-"):
            self.widgets[user_key(body.id)] = run.widgets[user_key(body.id)] = (body, delta.fragment_id)

    async def _fetch_media(self, urls: list[str]) -> None:
        """GET each picture of the run, as the browser would before the student sees it."""
        for url in urls:
            await asyncio.to_thread(_get, self.base + url, self.timeout, self.cookie)


def _page_cookies(url: str, timeout: float) -> str:
    """The Cookie header a browser would send after loading the page at url."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return "; ".join(c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or [])
    except OSError as exc:
        raise ClientError(f"GET {url}: {exc}") from exc


def _put(url: str, name: str, data: bytes, mime: str, cookie: str | None, timeout: float) -> None:
    """One multipart PUT of a file, with the XSRF header the frontend sends (the cookie's own value)."""
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {mime}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if cookie:
        headers["Cookie"] = cookie
        jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
        if "_streamlit_xsrf" in jar:
            headers["X-Xsrftoken"] = jar["_streamlit_xsrf"]
    request = urllib.request.Request(url, data=body, headers=headers, method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            resp.read()
    except OSError as exc:
        raise ClientError(f"PUT {url}: {exc}") from exc


def _get(url: str, timeout: float, cookie: str | None = None) -> int:
    """Bytes read from one URL; ClientError on an HTTP or socket failure."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return len(resp.read())
    except OSError as exc:
        raise ClientError(f"GET {url}: {exc}") from exc


async def timed(coro) -> tuple[float, object]:
    """(seconds, result) of one awaited action."""
    start = time.perf_counter()
    result = await coro
    return time.perf_counter() - start, result
