"""A word table quantised the way transformers.js' int8 ONNX exports are, for the test of reading
token vectors out of a model taken from the Hugging Face Hub.

    pip install onnx onnxruntime
    python3 scripts/model/reference/make_quantized_gather.py

Xenova's exports (model_quantized.onnx) come from onnxruntime's quantize_dynamic, which also
quantises the word-embedding Gather: the table becomes one uint8 tensor with a scale and a zero
point, and a DequantizeLinear follows the lookup. This builds a small graph of that shape (a
40 x 64 table of seeded random numbers, looked up by input_ids), quantises it with the same call,
and writes test/fixtures/quantized-gather.json: the float table and the quantised model (base64).
No model weights and no evaluation data are involved.
"""
import base64
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

ROWS, COLS = 40, 64
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "..", "test", "fixtures", "quantized-gather.json")


def main() -> None:
    table = (np.random.default_rng(7).standard_normal((ROWS, COLS)) * 0.05).astype(np.float32)
    lookup = "/embeddings/word_embeddings/Gather_output_0"
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["embeddings.word_embeddings.weight", "input_ids"], [lookup], name="/embeddings/word_embeddings/Gather"),
            helper.make_node("Add", [lookup, "bias"], ["last_hidden_state"], name="add_bias"),
        ],
        "word-lookup",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", COLS])],
        [numpy_helper.from_array(table, "embeddings.word_embeddings.weight"), numpy_helper.from_array(np.zeros(COLS, np.float32), "bias")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    work = os.path.join(HERE, ".quantized-gather")
    os.makedirs(work, exist_ok=True)
    try:
        float_path, quantized_path = os.path.join(work, "float.onnx"), os.path.join(work, "quantized.onnx")
        onnx.save(model, float_path)
        quantize_dynamic(float_path, quantized_path, weight_type=QuantType.QUInt8)
        with open(quantized_path, "rb") as f:
            quantized = f.read()
    finally:
        for name in os.listdir(work):
            os.remove(os.path.join(work, name))
        os.rmdir(work)
    import onnxruntime

    with open(OUT, "w") as f:
        json.dump(
            {
                "made_by": "scripts/model/reference/make_quantized_gather.py",
                "onnxruntime": onnxruntime.__version__,
                "rows": ROWS,
                "cols": COLS,
                "table": [round(float(x), 8) for x in table.reshape(-1)],
                "quantized_onnx_base64": base64.b64encode(quantized).decode("ascii"),
            },
            f,
        )
        f.write("\n")
    print(f"wrote {OUT} ({len(quantized)} bytes of ONNX)")


if __name__ == "__main__":
    main()
