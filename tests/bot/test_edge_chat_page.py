"""The chat page's sending logic, run in Node with a stub DOM and a scripted `fetch`: a refused
message (4xx) is not retried for ever and goes back into the input box; 429 waits for
Retry-After and re-sends the same message id; network errors and 5xx are retried.

(The full page runs in Chromium in test_web_chat_browser.py when chromium is installed.)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.server import create_app
from bot.settings import Settings
from knowledge import KnowledgeBase
from storage.store import SqlStore

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

HARNESS = r"""
const script = require("fs").readFileSync(process.argv[2], "utf8");
const plan = JSON.parse(process.argv[3]);
const typed = JSON.parse(process.argv[4]);
function element(id) {
  return {id, hidden: id === "status" || id === "notice", textContent: "", value: "", children: [],
    listeners: {}, dataset: {}, scrollTop: 0, scrollHeight: 0, disabled: false,
    classList: {toggle() {}}, setAttribute(name, value) { this[name] = value; },
    appendChild(child) { this.children.push(child); }, focus() { focused = id; },
    addEventListener(kind, fn) { this.listeners[kind] = fn; },
    requestSubmit() { this.listeners.submit({preventDefault() {}}); }};
}
let focused = null;
const elements = {};
const statusTexts = [];
global.document = {
  querySelector: () => ({content: "csrf-token"}),
  querySelectorAll: () => [],
  getElementById: (id) => (elements[id] = elements[id] || element(id)),
  createElement: () => element("new"),
};
const storage = {};
global.sessionStorage = {
  getItem: (k) => storage[k] || null, setItem: (k, v) => { storage[k] = v; },
};
global.self = globalThis;
const delays = [];
global.setTimeout = (fn, ms) => {  // timers fire at once; the delays are recorded
  delays.push(ms);
  statusTexts.push(elements.status.hidden ? "" : elements.status.textContent);
  setImmediate(fn);
};
const posts = [];
global.fetch = (url, options) => {
  if (!options || options.method !== "POST") return new Promise(() => {});  // polls hang
  posts.push({body: JSON.parse(options.body), headers: options.headers});
  const step = plan.shift() || {status: 202};
  if (step.network) return Promise.reject(new TypeError("Failed to fetch"));
  return Promise.resolve({
    status: step.status, ok: step.status >= 200 && step.status < 300,
    headers: {get: (name) => (step.headers || {})[name] || null},
    json: async () => ({detail: "x"}),
  });
};
eval(script);
const input = elements.text;
for (const text of typed) {
  input.value = text;
  elements.form.listeners.submit({preventDefault() {}});
}
(async () => {
  for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r));
  console.log(JSON.stringify({
    posts, delays, statusTexts, input: input.value, focused,
    notice: elements.notice.hidden ? null : elements.notice.textContent,
    status: elements.status.hidden ? null : elements.status.textContent,
    queue: JSON.parse(storage["madoguchi-queue-zerocarbon"] || "[]"),
  }));
})();
"""


async def served_script(app: Any, lang: str) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/chat/zerocarbon", params={"lang": lang})
    return re.search(r"<script>(.*)</script>", page.text, re.S).group(1)  # type: ignore[union-attr]


@pytest.fixture
async def run(engine: Engine, sample_kb: KnowledgeBase, tmp_path: Path) -> Any:
    app = create_app(
        Settings(background_workers=False), knowledge=sample_kb, store=SqlStore(engine)
    )
    scripts = {}
    for lang in ("ja", "en"):
        path = tmp_path / f"page-{lang}.js"
        path.write_text(await served_script(app, lang))
        scripts[lang] = path
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)

    def go(plan: list[dict[str, Any]], typed: list[str], lang: str = "ja") -> dict[str, Any]:
        done = subprocess.run(
            [NODE, str(harness), str(scripts[lang]), json.dumps(plan), json.dumps(typed)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(done.stdout)

    return go


def test_a_refused_message_is_not_retried_and_goes_back_into_the_box(run: Any) -> None:
    result = run([{"status": 422}], ["hello 😀 there"])
    assert len(result["posts"]) == 1  # not retried
    assert result["input"] == "hello 😀 there" and result["focused"] == "text"
    assert (
        result["notice"]
        == "このメッセージは送信できませんでした。内容を直して、もう一度送信してください。"
    )
    assert result["queue"] == [] and result["status"] is None


def test_an_unknown_session_asks_for_a_reload_in_english(run: Any) -> None:
    result = run([{"status": 403}], ["hi"], lang="en")
    assert len(result["posts"]) == 1
    assert result["notice"] == "Your chat session has expired. Please reload the page."
    assert result["posts"][0]["headers"]["Accept-Language"] == "en"


def test_429_waits_retry_after_and_resends_the_same_id(run: Any) -> None:
    result = run([{"status": 429, "headers": {"Retry-After": "7"}}, {"status": 202}], ["質問"])
    first, second = result["posts"]
    assert first["body"] == second["body"] and first["body"]["text"] == "質問"
    assert 7000 in result["delays"]
    assert "少しお待ちください…" in result["statusTexts"]
    assert result["queue"] == [] and result["status"] is None and result["notice"] is None
    assert result["input"] == ""


@pytest.mark.parametrize("failure", [{"status": 500}, {"status": 503}, {"network": True}])
def test_network_errors_and_5xx_are_retried(run: Any, failure: dict[str, Any]) -> None:
    result = run([failure, failure, {"status": 202}], ["質問"])
    ids = [p["body"]["id"] for p in result["posts"]]
    assert len(ids) == 3 and len(set(ids)) == 1
    assert result["queue"] == [] and result["status"] is None


def test_messages_typed_quickly_are_each_sent_once_in_order(run: Any) -> None:
    result = run([], ["一つ目", "二つ目", "三つ目"])
    assert [p["body"]["text"] for p in result["posts"]] == ["一つ目", "二つ目", "三つ目"]
