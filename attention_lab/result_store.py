"""Attention results as bytes in Redis: the cache, and the reply a worker pushes to its waiter.

Both hold float32 maps per head, so a reader takes only the heads it shows: a head view of a
256-token text reads 256 KB, not the 19 MB of all 72 heads. A worker's reply carries exactly the
heads its request asked for, so a waiting request needs no second read, and the worker can write
the (larger) cache entry after it has answered. Torch-free; both processes import it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
import numpy as np
from django.conf import settings

from attention_lab import jobs
from attention_lab.jobs import HeadList, Job
from attention_lab.model.result import AttentionResult, HeadDetail, all_heads

FLOAT = "<f4"  # little-endian float32, whatever the machine


def _field(layer: int, head: int) -> str:
    return f"{layer}.{head}"


def _meta(result: AttentionResult) -> dict:
    return {
        "tokens": result.tokens,
        "token_type_ids": result.token_type_ids,
        "sequence_ids": result.sequence_ids,
        "offsets": [list(span) for span in result.offsets],
        "shape": list(result.attentions.shape),
        "model_name": result.model_name,
        "device": result.device,
        "causal": result.causal,
    }


def _assembled(meta: dict, heads: HeadList, maps: list[bytes]) -> AttentionResult:
    """A result from its metadata and the float32 bytes of `heads` (None: all, in layer-major order)."""
    shape = tuple(meta.pop("shape"))
    n = shape[-1]
    if heads is None:
        joined = maps[0] if len(maps) == 1 else b"".join(maps)  # a reply's body needs no copy
        attentions = np.frombuffer(joined, dtype=FLOAT).reshape(shape)
        return AttentionResult(attentions=attentions, **meta)
    # np.zeros of a large array is lazily zeroed memory: filling two heads of 72 costs two heads.
    attentions = np.zeros(shape, dtype=np.float32)
    for (layer, head), raw in zip(heads, maps):
        attentions[layer, head] = np.frombuffer(raw, dtype=FLOAT).reshape(n, n)
    return AttentionResult(attentions=attentions, loaded=frozenset(heads), **meta)


def _detail_bytes(detail: HeadDetail) -> tuple[dict, bytes]:
    n, width = detail.query.shape
    meta = {"layer": detail.layer, "head": detail.head, "n": n, "d_k": width}
    qkv = np.stack([detail.query, detail.key, detail.value]).astype(FLOAT)
    return meta, qkv.tobytes() + detail.scores.astype(FLOAT).tobytes()


def _detail_from(meta: dict, raw: bytes) -> HeadDetail:
    n, width = meta["n"], meta["d_k"]
    values = np.frombuffer(raw, dtype=FLOAT)
    qkv = values[: 3 * n * width].reshape(3, n, width)
    scores = values[3 * n * width :].reshape(n, n)
    return HeadDetail(meta["layer"], meta["head"], qkv[0], qkv[1], qkv[2], scores)


# ---------------------------------------------------------------- the cache


def cache_store(pipe, job: Job, result: AttentionResult, detail: HeadDetail | None) -> None:
    """Queue the writes of one result (one field per head it has loaded) and its head detail, TTL'd.

    A result of the first layers only adds those heads to the entry: a reader that wants a head
    still missing finds the entry incomplete and asks the worker."""
    ttl = settings.ATTENTION_CACHE_TTL
    key = jobs.result_key(job.text, job.text_pair, job.causal, job.model)
    mapping = {"meta": json.dumps(_meta(result))}
    attentions = np.ascontiguousarray(result.attentions, dtype=FLOAT)  # no copy for the worker's arrays
    present = all_heads(attentions.shape) if result.loaded is None else sorted(result.loaded)
    for layer, head in present:
        mapping[_field(layer, head)] = memoryview(attentions[layer, head]).cast("B")  # bytes, uncopied
    pipe.hset(key, mapping=mapping)
    pipe.expire(key, ttl)
    if detail is not None:
        dkey = jobs.detail_key(job.text, job.text_pair, job.causal, detail.layer, detail.head, job.model)
        meta, raw = _detail_bytes(detail)
        pipe.hset(dkey, mapping={"meta": json.dumps(meta), "values": raw})
        pipe.expire(dkey, ttl)


# One round trip for the common case: the cached maps the job asks for (a hit, counted), or else
# the job queued (made its page's latest) for the worker's listener.
#   KEYS: result, detail ("" if none), pending, stats, page ("" if none)
#   ARGV: "all" | "some", "1" | "0" (detail wanted), entry, job id, page TTL, fields... (for "some")
_LOOKUP_OR_SUBMIT = """
local found
if ARGV[1] == "all" then
  found = redis.call("HGETALL", KEYS[1])
else
  found = redis.call("HMGET", KEYS[1], unpack(ARGV, 6))
end
local complete = #found > 0
for i = 1, #found do if not found[i] then complete = false end end
local detail = {}
if complete and ARGV[2] == "1" then
  detail = redis.call("HMGET", KEYS[2], "meta", "values")
  if not detail[1] or not detail[2] then complete = false end
end
if complete then
  redis.call("HINCRBY", KEYS[4], "cache_hits", 1)
  return {1, found, detail}
end
if KEYS[5] ~= "" then redis.call("SET", KEYS[5], ARGV[4], "EX", ARGV[5]) end
redis.call("RPUSH", KEYS[3], ARGV[3])
return {0}
"""


@dataclass(frozen=True, eq=False)
class Lookup:
    cached: tuple[AttentionResult, HeadDetail | None] | None = None
    submitted: jobs.Submitted | None = None  # set on a miss: the job is queued


def lookup_or_submit(job: Job) -> Lookup:
    """The cached result with the heads (and detail) the job asks for; on a miss, the job queued."""
    job_id = uuid.uuid4().hex
    entry = job.to_entry(job_id)
    detail_key = jobs.detail_key(job.text, job.text_pair, job.causal, *job.detail, job.model) if job.detail else ""
    fields = [] if job.heads is None else ["meta", *(_field(layer, head) for layer, head in job.heads)]
    answer = jobs.script(_LOOKUP_OR_SUBMIT)(
        keys=[
            jobs.result_key(job.text, job.text_pair, job.causal, job.model), detail_key, jobs.pending_key(),
            jobs.stats_key(), jobs.page_key(job.page) if job.page else "",
        ],
        args=["all" if job.heads is None else "some", "1" if job.detail else "0", entry, job_id, jobs.JOB_TTL_S, *fields],
    )
    if answer[0] == 0:
        return Lookup(submitted=jobs.Submitted(job_id, entry))
    found, detail_found = answer[1], answer[2]
    if job.heads is None:
        stored = dict(zip(found[0::2], found[1::2]))
        meta = json.loads(stored[b"meta"])
        maps = [stored.get(_field(*pair).encode()) for pair in all_heads(meta["shape"])]
        if any(raw is None for raw in maps):  # never written that way; but never draw a half result
            return Lookup(submitted=jobs.job_submit(job))
    else:
        meta, maps = json.loads(found[0]), found[1:]
    detail = _detail_from(json.loads(detail_found[0]), detail_found[1]) if job.detail else None
    return Lookup(cached=(_assembled(meta, job.heads, maps), detail))


# ---------------------------------------------------------------- the worker's reply


@dataclass(frozen=True, eq=False)
class Reply:
    status: str  # ok | superseded | invalid | error
    message: str = ""
    result: AttentionResult | None = None
    detail: HeadDetail | None = None


def reply_encode(
    status: str,
    message: str = "",
    *,
    result: AttentionResult | None = None,
    detail: HeadDetail | None = None,
    heads: HeadList = None,
) -> bytes:
    """One line of JSON (status, metadata), then the float32 maps of `heads` and the detail."""
    header: dict = {"status": status, "message": message}
    body = b""
    if result is not None:
        header["meta"] = _meta(result)
        header["heads"] = None if heads is None else [list(pair) for pair in heads]
        if heads is None:
            body = np.ascontiguousarray(result.attentions, dtype=FLOAT).tobytes()
        else:
            body = b"".join(result.attentions[layer, head].astype(FLOAT).tobytes() for layer, head in heads)
        header["maps_bytes"] = len(body)
        if detail is not None:
            header["detail"], raw = _detail_bytes(detail)
            body += raw
    return json.dumps(header).encode() + b"\n" + body


def reply_decode(raw: bytes) -> Reply:
    header_line, _, body = raw.partition(b"\n")
    header = json.loads(header_line)
    if "meta" not in header:
        return Reply(header["status"], header.get("message", ""))
    heads = None if header["heads"] is None else tuple(tuple(pair) for pair in header["heads"])
    meta = header["meta"]
    view = memoryview(body)
    maps_bytes = header["maps_bytes"]
    n = meta["shape"][-1]
    head_bytes = n * n * 4
    if heads is None:
        maps = [view[:maps_bytes]]
    else:
        maps = [view[index * head_bytes : (index + 1) * head_bytes] for index in range(len(heads))]
    detail = _detail_from(header["detail"], view[maps_bytes:]) if header.get("detail") else None
    return Reply(header["status"], header.get("message", ""), _assembled(meta, heads, maps), detail)
