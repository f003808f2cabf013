"""The attention API for scripts: exact float32 against transformers' BertModel at every length, in
JSON and in .npz; `layers` and `heads` choose what comes back; errors stay JSON; the OpenAPI schema
documents both formats with a numpy example."""

from __future__ import annotations

import io
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np
import orjson
import pytest

from tests.attention_lab.conftest import text_of_exactly
from tests.attention_lab.test_reference import TOLERANCE, reference_attentions

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/api/attention/"
NPZ = "application/x-npz"


def post(client, body, accept="application/json"):
    return client.post(URL, body, content_type="application/json", HTTP_ACCEPT=accept)


def npz_of(response) -> dict[str, np.ndarray]:
    assert response["Content-Type"] == NPZ
    with np.load(io.BytesIO(response.content), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


@pytest.mark.parametrize("length", [3, 37, 122, 256])
def test_json_and_npz_are_the_reference_weights_within_1e_5(script_api, attention_worker, engine, reference_model, length):
    # given: a text of exactly `length` tokens and transformers' own maps for it
    text = text_of_exactly(engine.tokenizer, length)
    expected = reference_attentions(reference_model, engine, [text])[0]
    # when
    as_json = post(script_api, {"text": text})
    as_npz = post(script_api, {"text": text}, accept=NPZ)
    # then: both formats carry the same float32 values, with no rounding and rows summing to 1
    assert as_json.status_code == 200 and as_npz.status_code == 200
    from_json = np.array(orjson.loads(as_json.content)["attentions"], dtype=np.float32)
    from_npz = npz_of(as_npz)
    assert from_npz["attentions"].dtype == np.float32
    assert from_json.shape == from_npz["attentions"].shape == (6, 12, length, length)
    assert np.array_equal(from_json, from_npz["attentions"])  # JSON reads back as the exact float32
    assert float(np.abs(from_json - expected).max()) <= TOLERANCE
    assert float(np.abs(from_json.astype(np.float64).sum(-1) - 1).max()) < 1e-5
    assert list(from_npz["tokens"]) == engine.tokenizer.encode(text).tokens


def test_layers_and_heads_choose_what_comes_back_in_both_formats(script_api, attention_worker, engine):
    text = "The animal didn't cross the street because it was too tired."
    full = np.array(post(script_api, {"text": text}).json()["attentions"], dtype=np.float32)
    body = {"text": text, "layers": [4, 1], "heads": [11, 0, 3]}

    as_json = post(script_api, body).json()
    as_npz = npz_of(post(script_api, body, accept=NPZ))

    expected = full[np.ix_([4, 1], [11, 0, 3])]
    assert (as_json["layers"], as_json["heads"]) == (2, 3)
    assert as_json["layer_indices"] == [4, 1] and as_json["head_indices"] == [11, 0, 3]
    assert np.array_equal(np.array(as_json["attentions"], dtype=np.float32), expected)
    assert np.array_equal(as_npz["attentions"], expected)
    assert list(as_npz["layer_indices"]) == [4, 1] and list(as_npz["head_indices"]) == [11, 0, 3]


def test_a_first_layer_alone_is_computed_without_the_rest(script_api, attention_worker, lab_clean):
    # A fresh text: the worker runs one layer only, yet the answer is exactly that layer's maps.
    text = "Only the first layer of this sentence is asked for."
    first = post(script_api, {"text": text, "layers": [0], "heads": [2]}, accept=NPZ)
    full = np.array(post(script_api, {"text": text}).json()["attentions"], dtype=np.float32)
    assert np.array_equal(npz_of(first)["attentions"], full[0:1, 2:3])


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "hi", "layers": [6]}, "layers"),
        ({"text": "hi", "heads": [12]}, "heads"),
        ({"text": "hi", "heads": [-1]}, "heads"),
        ({"text": "hi", "layers": []}, "layers"),
        ({"text": "hi", "layers": "all"}, "layers"),
    ],
)
def test_a_layer_or_head_outside_the_model_is_a_400_in_json_even_for_npz(script_api, body, field):
    response = post(script_api, body, accept=NPZ)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert answer["detail"].startswith(field) and field in answer["fields"]


def test_the_schema_offers_json_and_npz_with_a_numpy_example(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/attention/"]["post"]
    assert {"application/json", NPZ} <= set(operation["responses"]["200"]["content"])
    assert "np.load" in operation["description"]
    properties = schema["components"]["schemas"]["AttentionRequestRequest"]["properties"]
    assert {"layers", "heads"} <= set(properties)
