"""Writes the test pickles of ImageNet16's file format into ../resources/org/nashpo/worker/data/pickles/.

The downsampled ImageNet files (Chrabaszcz et al. 2017, PatrykChrabaszcz/Imagenet32_Scripts) are Python pickles
of {'data': numpy uint8 array N x 768, 'labels': list of int 1..1000, 'mean': numpy float64 array of 768} (the
validation file without 'mean'), dumped with pickle.dump and no protocol argument, apparently by Python 2 (their
readers, AutoDL-Projects' DownsampledImageNet.py among them, load them with encoding='latin1'). Which protocol
cannot be settled without the files, so the reader is tested on the same content in every form it may take:

  py2-protocol0.pkl, py2-protocol2.pkl   Python 2 with numpy 1.x: str (bytes) as STRING / BINSTRING, the array
                                         rebuilt by numpy.core.multiarray._reconstruct (emulated: Python 2 is
                                         not here, Py2Pickler below writes its opcodes)
  py3-protocol2.pkl, py3-protocol4.pkl   Python 3 with this numpy (numpy._core, bytes as _codecs.encode or
                                         SHORT_BINBYTES)
  py3-protocol5.pkl                      protocol 5: numpy's _frombuffer with an in-band buffer

and py2-writer.pkl, what the tests' own writer (OfficialFormats.java) must write byte for byte.

Run with python3 and numpy (pip install numpy); it checks that numpy reads every file back as written.
"""
import io
import os
import pickle
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "org", "nashpo", "worker", "data", "pickles")
RECONSTRUCT = np._core.multiarray._reconstruct


class Py2Pickler(pickle._Pickler):
    """Writes what Python 2's pickle module writes: bytes are Python 2's str, arrays reduce as numpy 1.x did."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_str2(self, obj):
        if self.bin:
            if len(obj) < 256:
                self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
            else:
                self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        else:
            self.write(pickle.STRING + repr(obj)[1:].encode("ascii") + b"\n")
        self.memoize(obj)

    dispatch[bytes] = save_str2

    def save_global(self, obj, name=None):
        if obj is RECONSTRUCT:
            self.write(pickle.GLOBAL + b"numpy.core.multiarray\n_reconstruct\n")
            self.memoize(obj)
            return
        super().save_global(obj, name)

    def reducer_override(self, obj):
        if isinstance(obj, np.ndarray):
            return RECONSTRUCT, (np.ndarray, (0,), b"b"), (1, obj.shape, obj.dtype, False, obj.tobytes())
        if isinstance(obj, np.dtype):
            return np.dtype, (obj.str[1:].encode("ascii"), 0, 1), (3, obj.str[:1].encode("ascii"), None, None,
                                                                  None, -1, -1, 0)
        return NotImplemented


def py2(obj, protocol):
    out = io.BytesIO()
    Py2Pickler(out, protocol).dump(obj)
    return out.getvalue()


def content(keys):
    data = np.array([[(7 * i + 3 * j) % 256 for j in range(768)] for i in range(5)], dtype=np.uint8)
    labels = [1, 120, 121, 1000, 7]
    mean = np.arange(768, dtype=np.float64) / 3
    return {keys("data"): data, keys("labels"): labels, keys("mean"): mean}


def writer_content():
    """What OfficialFormatsTest asks the writer for: three images, the first 120 classes' edges and beyond."""
    data = np.array([[(11 * i + j) % 256 for j in range(768)] for i in range(3)], dtype=np.uint8)
    return {b"data": data, b"labels": [1, 120, 121]}


def check(path, expected):
    with open(path, "rb") as f:
        read = pickle.load(f, encoding="latin1")
    assert sorted(read) == sorted(k.decode() if isinstance(k, bytes) else k for k in expected), path
    for key, value in expected.items():
        got = read[key.decode() if isinstance(key, bytes) else key]
        if isinstance(value, np.ndarray):
            assert got.dtype == value.dtype and got.shape == value.shape and (got == value).all(), path
        else:
            assert got == value, path


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "py2-protocol0.pkl": (py2(content(str.encode), 0), content(str.encode)),
        "py2-protocol2.pkl": (py2(content(str.encode), 2), content(str.encode)),
        "py3-protocol2.pkl": (pickle.dumps(content(str), protocol=2), content(str)),
        "py3-protocol4.pkl": (pickle.dumps(content(str), protocol=4), content(str)),
        "py3-protocol5.pkl": (pickle.dumps(content(str), protocol=5), content(str)),
        "py2-writer.pkl": (py2(writer_content(), 2), writer_content()),
    }
    for name, (blob, expected) in files.items():
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(blob)
        check(path, expected)
        print(name, len(blob), "bytes")


if __name__ == "__main__":
    main()
