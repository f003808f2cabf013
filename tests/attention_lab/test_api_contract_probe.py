"""POST /api/attention/ probed the way a script or notebook calls it, against the real worker: exact
float32 at every length (JSON and .npz), what .npz holds, Accept negotiation with q-values, the
`layers`/`heads`/`model` fields at their edges, texts the API and /lab/update/ accept and refuse alike,
the rate limit for visitors, and the OpenAPI schema and docs page."""

from __future__ import annotations

import io

import numpy as np
import orjson
import pytest
from django.test import Client

from attention_lab import jobs
from attention_lab.model import MAX_TOKENS
from attention_lab.throttling import rate_key
from tests.attention_lab.conftest import text_of_exactly
from tests.attention_lab.test_api_exact import NPZ, URL
from tests.attention_lab.test_reference import TOLERANCE, reference_attentions

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def post(client, body, accept: str | None = "application/json", url: str = URL):
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}
    return client.post(url, body, content_type="application/json", **extra)


def npz_of(response) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(response.content), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def test_exact_at_every_length_in_json_and_npz(script_api, attention_worker, engine, reference_model):
    # given: texts of 3 ("a": one word), 32, 128 and MAX_TOKENS tokens, a sentence pair, and scripts
    # beyond ASCII, with transformers' own maps for each
    texts = {
        "one word": ("a", None),
        "32": (text_of_exactly(engine.tokenizer, 32), None),
        "128": (text_of_exactly(engine.tokenizer, 128), None),
        "max": (text_of_exactly(engine.tokenizer, MAX_TOKENS), None),
        "pair": ("Where is the cat?", "The cat sat on the mat, 猫 🐈."),
        "unicode": ("Emoji 😀🚀, kanji 注意力 and 日本語, café naïve e\u0301\ttab\nline", None),
    }
    errors = {}
    for label, (text, pair) in texts.items():
        expected = reference_attentions(reference_model, engine, [(text, pair) if pair else text])[0]
        body = {"text": text, **({"text_pair": pair} if pair else {})}
        # when
        as_json = post(script_api, body)
        as_npz = post(script_api, body, accept=NPZ)
        # then
        assert as_json.status_code == 200 and as_npz.status_code == 200, (label, as_json.content[:300])
        from_json = np.array(orjson.loads(as_json.content)["attentions"], dtype=np.float32)
        from_npz = npz_of(as_npz)["attentions"]
        assert from_npz.dtype == np.float32 and from_json.shape == from_npz.shape == expected.shape
        assert np.array_equal(from_json, from_npz), label
        errors[label] = float(np.abs(from_npz - expected).max())
        assert np.abs(from_npz.astype(np.float64).sum(-1) - 1).max() < 1e-5, label
    assert max(errors.values()) <= TOLERANCE, errors
    assert expected.shape[-1] > 0


def test_npz_is_plain_arrays_with_a_file_name(script_api, attention_worker):
    response = post(script_api, {"text": "The cat sat.", "layers": [5, 0], "heads": [7, 7, 1]}, accept=NPZ)
    assert response.status_code == 200
    assert response["Content-Type"] == NPZ
    assert "attachment" in response["Content-Disposition"] and ".npz" in response["Content-Disposition"]
    arrays = npz_of(response)  # allow_pickle=False: no object arrays anywhere
    assert arrays["attentions"].dtype == np.float32
    assert arrays["attentions"].shape == (2, 3, 6, 6)
    assert arrays["tokens"].dtype.kind == "U" and arrays["tokens"].ndim == 1
    assert list(arrays["tokens"]) == ["[CLS]", "the", "cat", "sat", ".", "[SEP]"]
    assert list(arrays["layer_indices"]) == [5, 0] and list(arrays["head_indices"]) == [7, 7, 1]
    assert np.array_equal(arrays["attentions"][:, 0], arrays["attentions"][:, 1])  # a repeated head, repeated
    assert str(arrays["model"]) == "sentence-transformers/all-MiniLM-L6-v2"


@pytest.mark.parametrize(
    "accept, expected",
    [
        (f"{NPZ};q=1, application/json;q=0.5", NPZ),
        (f"application/json;q=0.5, {NPZ}", NPZ),
        (f"application/json;q=0.9, {NPZ};q=0.1", "application/json"),
        (f"application/json;q=0, {NPZ}", NPZ),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        (None, "application/json"),
        ("text/html;q=0.9, */*;q=0.1", "application/json"),
    ],
)
def test_accept_negotiation_honours_quality_values(script_api, attention_worker, accept, expected):
    response = post(script_api, {"text": "Negotiate this."}, accept=accept)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize("accept", ["text/html", "image/png", f"{NPZ};q=0"])
def test_an_unsupported_accept_is_a_406_in_json(script_api, accept):
    response = post(script_api, {"text": "hi"}, accept=accept)
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert NPZ in response.json()["detail"]


@pytest.mark.parametrize(
    "selection",
    [
        {"layers": [True]},
        {"heads": [False]},
        {"layers": [1.0]},
        {"heads": [0.5]},
        {"layers": ["1"]},
        {"layers": [-1]},
        {"heads": [12]},
        {"layers": [6]},
        {"layers": [10**30]},
        {"layers": []},
        {"heads": [[1]]},
        {"layers": 1},
        {"heads": "0,1"},
        {"heads": list(range(12)) * 6},
        {"layers": [{"layer": 1}]},
    ],
)
def test_a_bad_selection_is_a_400_in_json_even_for_npz(script_api, selection):
    response = post(script_api, {"text": "hi", **selection}, accept=NPZ)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    field = next(iter(selection))
    assert field in answer["fields"] and answer["detail"].startswith(field)
    assert "ErrorDetail" not in answer["detail"]  # one plain sentence, not a repr of nested errors


def test_a_bad_list_item_is_named_by_its_place(script_api):
    answer = post(script_api, {"text": "hi", "layers": [1, "x"]}).json()
    assert answer["detail"].startswith("layers[1]: ") and answer["code"] == "not_an_integer"


def test_null_means_the_default_and_the_order_given_is_kept(script_api, attention_worker):
    everything = post(script_api, {"text": "Order is kept.", "layers": None, "heads": None, "model": None})
    assert everything.status_code == 200
    assert everything.json()["layer_indices"] == list(range(6))
    assert everything.json()["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    chosen = post(script_api, {"text": "Order is kept.", "layers": [3, 1, 3], "heads": [11, 0]}).json()
    full = np.array(everything.json()["attentions"], dtype=np.float32)
    assert chosen["layer_indices"] == [3, 1, 3] and chosen["head_indices"] == [11, 0]
    assert np.array_equal(np.array(chosen["attentions"], dtype=np.float32), full[np.ix_([3, 1, 3], [11, 0])])


def test_the_model_field(script_api, attention_worker):
    unknown = post(script_api, {"text": "hi", "model": "bert-large-uncased"}, accept=NPZ)
    assert unknown.status_code == 400 and "model" in unknown.json()["fields"]
    assert post(script_api, {"text": "hi", "model": 7}).status_code == 400
    listed = {spec["name"]: spec for spec in script_api.get("/api/attention/models/").json()}
    tiny = next((spec for spec in listed.values() if spec["causal"]), None)
    if tiny is not None:
        # a causal decoder: each row attends only to itself and earlier tokens
        response = post(script_api, {"text": "abcab", "model": tiny["name"], "layers": [tiny["layers"] - 1]}, accept=NPZ)
        assert response.status_code == 200, response.content
        maps = npz_of(response)["attentions"]
        assert maps.shape[:2] == (1, tiny["heads"])
        assert np.allclose(np.triu(maps, k=1), 0) and np.allclose(maps.sum(-1), 1, atol=1e-5)
        refused = post(script_api, {"text": "abc", "model": tiny["name"], "heads": [tiny["heads"]]})
        assert refused.status_code == 400 and "heads" in refused.json()["fields"]
        if not tiny["text_pairs"]:
            pair = post(script_api, {"text": "abc", "text_pair": "abc", "model": tiny["name"]})
            assert pair.status_code == 400 and "text_pair" in pair.json()["detail"]


@pytest.mark.parametrize(
    "text, accepted",
    [
        ("", False),
        ("   \n\t ", False),
        ("nul \x00 inside", False),
        ("bell \x07 inside", False),
        ("C1 \x85 inside", False),
        ("tab\tand\nnew line", True),
        ("😀", True),
        ("注意力", True),
        ("a lone \ud800 surrogate", False),  # no character: the shared JSON reader refuses it
        (42, False),
        (None, False),
        (["a"], False),
    ],
)
def test_the_api_and_the_lab_accept_and_refuse_the_same_texts(script_api, attention_worker, text, accepted):
    from_api = post(script_api, {"text": text})
    from_lab = post(script_api, {"text": text, "page": "probe"}, url="/lab/update/")
    assert (from_api.status_code == 200) is accepted, from_api.content[:300]
    assert (from_lab.status_code == 200) is accepted, from_lab.content[:300]
    if not accepted:
        assert from_api.status_code == from_lab.status_code == 400


def test_over_the_limit_is_a_400_that_states_it_even_for_npz(script_api, engine):
    text = text_of_exactly(engine.tokenizer, MAX_TOKENS) + " more words"
    response = post(script_api, {"text": text}, accept=NPZ)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert answer["code"] == "too_long" and answer["limit"] == MAX_TOKENS and answer["token_count"] > MAX_TOKENS
    assert str(MAX_TOKENS) in answer["detail"]
    pair = post(script_api, {"text": text_of_exactly(engine.tokenizer, 200), "text_pair": text_of_exactly(engine.tokenizer, 100)})
    assert pair.status_code == 400 and pair.json()["code"] == "too_long"


def test_visitors_may_call_it_until_the_rate_limit_answers_429_json(db, settings, attention_worker):
    settings.ATTENTION_RATE = "2/min"
    visitor = Client(REMOTE_ADDR="203.0.113.77")
    jobs.client().delete(rate_key("ip-203.0.113.77"))
    assert post(visitor, {"text": "Anonymous use."}).status_code == 200
    assert post(visitor, {"text": "Anonymous use."}).status_code == 200
    throttled = post(visitor, {"text": "Anonymous use."}, accept=NPZ)
    assert throttled.status_code == 429
    assert throttled["Content-Type"].startswith("application/json")
    assert int(throttled["Retry-After"]) >= 1
    assert "2/min" in throttled.json()["detail"] and throttled.json()["code"] == "throttled"
    jobs.client().delete(rate_key("ip-203.0.113.77"))


def test_the_schema_documents_body_both_answers_and_the_numpy_example(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/attention/"]["post"]
    assert "application/json" in operation["requestBody"]["content"]
    body = schema["components"]["schemas"]["AttentionRequestRequest"]
    assert {"text", "text_pair", "model", "layers", "heads"} <= set(body["properties"])
    assert body["required"] == ["text"]
    for field in ("layers", "heads"):
        assert body["properties"][field]["items"]["type"] == "integer"
    answers = operation["responses"]
    assert {"application/json", NPZ} <= set(answers["200"]["content"])
    assert answers["200"]["content"][NPZ]["schema"]["format"] == "binary"
    assert {"400", "406", "429", "503"} <= set(answers)
    assert "np.load" in operation["description"] and "allow_pickle=False" in operation["description"]
    (example,) = answers["200"]["content"]["application/json"]["examples"].values()
    weights = np.array(example["value"]["attentions"], dtype=np.float32)
    assert weights.shape == (1, 2, 4, 4) and np.abs(weights.sum(-1) - 1).max() < 1e-5
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'"just a string"', b"null", b'{"text": "hi", "text_pair": 5}'],
)
def test_a_malformed_body_is_a_400_in_json_even_for_npz(script_api, raw):
    response = script_api.post(URL, raw, content_type="application/json", HTTP_ACCEPT=NPZ)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] and response.json()["code"]


def test_a_script_over_real_http_gets_exact_npz_and_json_then_a_429(settings, attention_worker, engine, reference_model):
    """What a notebook does: `requests` against gunicorn, no login, no CSRF token, then too many calls."""
    import requests

    from tests.lab_processes import WebServer, worker_env

    env = worker_env(
        redis_url=settings.REDIS_URL, queue=settings.ATTENTION_QUEUE, prefix=settings.ATTENTION_REDIS_PREFIX,
        ATTENTION_RATE="4/min", ATTENTION_WAIT_SECONDS="30",
    )
    web = WebServer(env=env)
    jobs.client().delete(rate_key("ip-127.0.0.1"))
    try:
        web.manage("migrate", "--noinput", "-v", "0")
        web.start()
        text = text_of_exactly(engine.tokenizer, MAX_TOKENS)
        expected = reference_attentions(reference_model, engine, [text])[0]
        url = f"{web.url}{URL}"
        # when: requests' own Accept (*/*) and a preference for .npz by q-value
        as_json = requests.post(url, json={"text": text, "layers": [5]}, timeout=60)
        as_npz = requests.post(
            url, json={"text": text, "heads": [3, 9]}, headers={"Accept": f"{NPZ};q=1, application/json;q=0.5"}, timeout=60
        )
        not_acceptable = requests.post(url, json={"text": text}, headers={"Accept": "text/csv"}, timeout=60)
        # the 406 was refused before the rate limit counted it: 2 answers, 2 more, then the 5th is one too many
        throttled = [requests.post(url, json={"text": "hi"}, headers={"Accept": NPZ}, timeout=60) for _ in range(3)][-1]
        # then
        assert as_json.status_code == 200 and as_json.headers["Content-Type"] == "application/json"
        from_json = np.array(as_json.json()["attentions"], dtype=np.float32)
        assert from_json.shape == (1, 12, MAX_TOKENS, MAX_TOKENS)
        assert float(np.abs(from_json - expected[5:6]).max()) <= TOLERANCE
        assert as_npz.status_code == 200 and as_npz.headers["Content-Type"] == NPZ
        arrays = npz_of(as_npz)
        assert arrays["attentions"].dtype == np.float32 and arrays["attentions"].shape == (6, 2, MAX_TOKENS, MAX_TOKENS)
        assert float(np.abs(arrays["attentions"] - expected[:, [3, 9]]).max()) <= TOLERANCE
        assert arrays["tokens"].dtype.kind == "U" and len(arrays["tokens"]) == MAX_TOKENS
        assert not_acceptable.status_code == 406 and not_acceptable.json()["code"] == "not_acceptable"
        assert throttled.status_code == 429 and throttled.headers["Content-Type"].startswith("application/json")
        assert int(throttled.headers["Retry-After"]) >= 1 and "4/min" in throttled.json()["detail"]
    finally:
        web.cleanup()
        jobs.client().delete(rate_key("ip-127.0.0.1"))
