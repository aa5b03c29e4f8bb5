#!/usr/bin/env python3
"""Writes the fuzz seed corpora for the WAV, checkpoint and config readers (tools/VoxTile.Fuzz/corpus/*).

Small files only: each seed is a few hundred bytes that walks one path of its reader (a format, a chunk, a layout).
Checkpoints are torch.save's zip layout written without torch: a pickle (protocol 2) whose globals are the names torch
writes (torch._utils._rebuild_tensor_v2, torch.FloatStorage, collections.OrderedDict), storages as raw zip entries.
The plan and .npy corpora are written by `voxtile-fuzz seeds plan|npy DIR` (NpySeeds, PlanSeeds). Run once; the outputs are committed,
except the checkpoints (no .pth is tracked): scripts/fuzz.sh runs this script when corpus/checkpoint is missing, and
tests/VoxTile.Server.Tests writes the same seeds itself (CheckpointSeeds).
The corpora's regression-* files are not written here: they are inputs a fuzzer found (kept byte for byte, or made by
hand to the finding's recipe), each the test of a fix.
"""
import collections, io, json, os, pickle, struct, sys, types, zipfile
import numpy as np

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tools", "VoxTile.Fuzz", "corpus")


def put(kind, name, data):
    os.makedirs(os.path.join(root, kind), exist_ok=True)
    with open(os.path.join(root, kind, name), "wb") as f:
        f.write(data)


# --- WAV ---
def wav(tag, channels, rate, bits, frames, extra_chunks=b"", extensible=False, streamed=False):
    block = channels * bits // 8
    data = bytes((i * 37) & 0xFF for i in range(frames * block))
    if extensible:
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, bits, 22, bits, 0)
        fmt += struct.pack("<H", tag) + bytes([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + extra_chunks + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    size = 0xFFFFFFFF if streamed else len(data)
    body += b"data" + struct.pack("<I", size) + data + (b"\0" if len(data) % 2 else b"")
    return b"RIFF" + struct.pack("<I", 0xFFFFFFFF if streamed else len(body)) + body


put("wav", "pcm16-mono.wav", wav(1, 1, 16000, 16, 16))
put("wav", "pcm16-stereo.wav", wav(1, 2, 22050, 16, 8))
put("wav", "pcm8.wav", wav(1, 1, 8000, 8, 15))
put("wav", "pcm24.wav", wav(1, 1, 44100, 24, 8))
put("wav", "pcm32.wav", wav(1, 1, 48000, 32, 8))
put("wav", "float32.wav", wav(3, 1, 22050, 32, 8))
put("wav", "float64.wav", wav(3, 1, 22050, 64, 4))
put("wav", "extensible-pcm16.wav", wav(1, 2, 16000, 16, 8, extensible=True))
put("wav", "list-chunk-first.wav", wav(1, 1, 16000, 16, 8, extra_chunks=b"LIST" + struct.pack("<I", 5) + b"INFOx\0"))
put("wav", "streamed-sizes.wav", wav(1, 1, 44100, 16, 16, streamed=True))

# --- torch.save checkpoints (zip) ---
torch = types.ModuleType("torch"); utils = types.ModuleType("torch._utils")
sys.modules["torch"], sys.modules["torch._utils"] = torch, utils


class FloatStorage:
    pass


FloatStorage.__module__, FloatStorage.__qualname__ = "torch", "FloatStorage"
torch.FloatStorage = FloatStorage


def _rebuild_tensor_v2(*args):
    raise AssertionError


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, key, values):
        self.key, self.values = key, np.asarray(values, dtype=np.float32)


class Rebuild:
    """Pickles as torch's tensors do: _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)."""

    def __init__(self, storage, size):
        self.storage, self.size = storage, size

    def __reduce__(self):
        stride, acc = [], 1
        for d in reversed(self.size):
            stride.insert(0, acc); acc *= d
        return (_rebuild_tensor_v2, (self.storage, 0, tuple(self.size), tuple(stride), False, collections.OrderedDict()))


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", FloatStorage, obj.key, "cpu", obj.values.size)
        return None


def checkpoint(name, top, storages, root_name="archive"):
    buf = io.BytesIO()
    TorchPickler(buf, protocol=2).dump(top)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{root_name}/data.pkl", buf.getvalue())
        z.writestr(f"{root_name}/byteorder", "little")
        for s in storages:
            z.writestr(f"{root_name}/data/{s.key}", s.values.tobytes())
        z.writestr(f"{root_name}/version", "3\n")
    put("checkpoint", name, out.getvalue())


w, b, se = Storage("0", np.linspace(-1, 1, 6)), Storage("1", [0.5, -0.5]), Storage("2", np.linspace(0, 1, 8))
checkpoint("vits-model.pth", {"model": collections.OrderedDict([("enc.weight", Rebuild(w, [2, 3])), ("enc.bias", Rebuild(b, [2]))]), "iteration": 0}, [w, b])
checkpoint("plain-dict.pth", {"enc.weight": Rebuild(w, [3, 2])}, [w], root_name="checkpoint")
checkpoint("se.pth", Rebuild(se, [1, 8, 1]), [se])
# A pickle that names a global outside the allow-list (os.system): refused before anything is unpickled.
evil = io.BytesIO()
with zipfile.ZipFile(evil, "w") as z:
    z.writestr("archive/data.pkl", b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.")
    z.writestr("archive/version", "3\n")
put("checkpoint", "forbidden-global.pth", evil.getvalue())

# --- config.json (MeloTTS and the converter) ---
expected = os.path.join(os.path.dirname(__file__), "..", "tests", "VoxTile.Models.Tests", "Config", "expected")
for name in ("converter-released-v2.json", "melo-released-english.json"):
    with open(os.path.join(expected, name), "rb") as f:
        put("config", name, f.read())
put("config", "minimal-melo.json", json.dumps({"data": {"sampling_rate": 44100, "filter_length": 2048, "hop_length": 512, "win_length": 2048, "n_speakers": 1, "spk2id": {"EN": 0}}, "model": {"inter_channels": 192, "hidden_channels": 192}, "symbols": ["_", "a"]}).encode())
put("config", "comments-and-commas.json", b'{\n  // a comment\n  "data": {"sampling_rate": 22050,},\n  "model": {},\n}\n')
