"""Drive `rlvr serve` with the official openai Python client (2.x); print one JSON line per call.

Usage: python openai_client.py BASE_URL   (BASE_URL like http://127.0.0.1:PORT/v1)
Each line: {"call": name, "ok": bool, ...facts the TypeScript test checks}. Never raises: a failed call is
reported with its exception type and message, so the test can say which call broke and how.
"""
import json
import sys
import threading
import traceback

import openai

base = sys.argv[1]
client = openai.OpenAI(base_url=base, api_key="unused", max_retries=0, timeout=60)
Q = "Tom has 7 apples and buys 4 more. How many apples now?"


def report(call, fn):
    try:
        facts = fn()
        print(json.dumps({"call": call, "ok": True, **facts}), flush=True)
    except Exception as e:  # noqa: BLE001 - reported to the test
        print(json.dumps({"call": call, "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-800:]}), flush=True)


def models():
    return {"ids": [m.id for m in client.models.list().data]}


def completion_logprobs():
    r = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=40, temperature=0, logprobs=3)
    c = r.choices[0]
    return {"text": c.text, "finish_reason": c.finish_reason, "tokens": c.logprobs.tokens, "token_logprobs": c.logprobs.token_logprobs,
            "top_logprobs": c.logprobs.top_logprobs, "usage": r.usage.model_dump()}


def completion_n_seed():
    a = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=30, temperature=1.2, n=3, seed=42)
    b = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=30, temperature=1.2, n=3, seed=42)
    return {"a": [c.text for c in a.choices], "b": [c.text for c in b.choices], "indices": [c.index for c in a.choices]}


def completion_stop():
    r = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=40, temperature=0, stop=["####", "\n\n"])
    return {"text": r.choices[0].text, "finish_reason": r.choices[0].finish_reason}


def completion_echo_token_ids():
    ids = [1] + [3 + ord(ch) - 32 + 1 for ch in "12+7=19"]  # <bos> + characters (id = 3 + index in "\n" + printable ASCII)
    r = client.completions.create(model="rlvr-tiny-base", prompt=ids, max_tokens=1, temperature=0, logprobs=1, echo=True)
    lp = r.choices[0].logprobs
    return {"n_ids": len(ids), "tokens": lp.tokens, "token_logprobs": lp.token_logprobs, "top_logprobs": lp.top_logprobs, "text": r.choices[0].text}


def chat_logprobs():
    r = client.chat.completions.create(
        model="rlvr-tiny-base",
        messages=[{"role": "developer", "content": "Answer with the sum."}, {"role": "user", "content": [{"type": "text", "text": Q}]}],
        max_completion_tokens=40, temperature=0, logprobs=True, top_logprobs=2,
    )
    c = r.choices[0]
    return {"content": c.message.content, "role": c.message.role, "finish_reason": c.finish_reason,
            "lp_tokens": [t.token for t in c.logprobs.content], "top_counts": [len(t.top_logprobs) for t in c.logprobs.content]}


def chat_stream_usage():
    stream = client.chat.completions.create(model="rlvr-tiny-base", messages=[{"role": "user", "content": Q}], max_tokens=40, temperature=0,
                                            stream=True, stream_options={"include_usage": True})
    chunks, text, usage, finish = 0, "", None, None
    for ch in stream:
        chunks += 1
        if ch.usage is not None:
            usage = ch.usage.model_dump()
        for c in ch.choices:
            text += c.delta.content or ""
            finish = c.finish_reason or finish
    plain = client.chat.completions.create(model="rlvr-tiny-base", messages=[{"role": "user", "content": Q}], max_tokens=40, temperature=0)
    return {"chunks": chunks, "text": text, "plain": plain.choices[0].message.content, "usage": usage, "plain_usage": plain.usage.model_dump(), "finish_reason": finish}


def completion_stream():
    stream = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=40, temperature=0, stream=True, logprobs=1)
    pieces = [c.choices[0].text for c in stream]
    return {"chunks": len(pieces), "text": "".join(pieces)}


def unsupported_field():
    try:
        client.chat.completions.create(model="rlvr-tiny-base", messages=[{"role": "user", "content": Q}], max_tokens=5,
                                       response_format={"type": "json_object"})
    except openai.BadRequestError as e:
        return {"status": e.status_code, "message": str(e)}
    return {"status": 200, "message": "no error"}


def concurrent_while_streaming():
    """A long stream (24 prompts) is opened and its first chunk read; a short request on another thread completes
    while the stream is still open and unread; then the stream is read to its end. Four threaded requests with
    seeds give what they give one at a time."""
    events = []
    stream = client.completions.create(model="rlvr-tiny-base", prompt=["="] * 24, max_tokens=94, temperature=0, stream=True)
    it = iter(stream)
    first = next(it)
    events.append("stream first chunk")
    short = {}

    def run_short():
        r = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=12, temperature=0)
        short["text"] = r.choices[0].text
        events.append("short response")

    th = threading.Thread(target=run_short)
    th.start()
    th.join(timeout=120)
    chunks = [first] + list(it)
    events.append("stream end")
    texts = {}
    for c in chunks:
        for ch in c.choices:
            texts[ch.index] = texts.get(ch.index, "") + ch.text
    alone = client.completions.create(model="rlvr-tiny-base", prompt=Q + "\n", max_tokens=12, temperature=0).choices[0].text

    bodies = [dict(prompt=Q + "\n" if k % 2 else "=", max_tokens=40, temperature=1, seed=200 + k) for k in range(4)]
    solo = [client.completions.create(model="rlvr-tiny-base", **b).choices[0].text for b in bodies]
    together = [None] * 4

    def run(k):
        together[k] = client.completions.create(model="rlvr-tiny-base", **bodies[k]).choices[0].text

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return {"events": events, "chunks": len(chunks), "stream_texts": len(texts), "distinct_stream_texts": len(set(texts.values())),
            "short": short.get("text"), "short_alone": alone, "threads_equal_solo": together == solo}


for name, fn in [("models.list", models), ("completions logprobs=3", completion_logprobs), ("completions n=3 seed", completion_n_seed),
                 ("completions stop", completion_stop), ("completions echo token ids", completion_echo_token_ids),
                 ("chat developer+parts logprobs top_logprobs=2", chat_logprobs), ("chat stream include_usage", chat_stream_usage),
                 ("completions stream", completion_stream), ("chat response_format → 400", unsupported_field),
                 ("concurrent while streaming", concurrent_while_streaming)]:
    report(name, fn)
