"""Read the catalog container that ``generate.py`` writes (format 4).

    from container import read_catalog
    index, service_detail = read_catalog(path)

Layout (``aws-mcp-core/src/catalog/format.rs`` is the reference):
magic ``AWSMCPC1``, u32 LE length of the index frame, the zstd index frame,
then per service two zstd frames: its command summaries (``summaries``:
``[offset, length]`` relative to the end of the index frame) and its detail
(``blob``). ``read_catalog`` gives the index with each service's
``commands`` (the summaries) put back, and a function that decodes a
service's detail.
"""
import json
import struct

FORMAT = 4
MAGIC = b"AWSMCPC1"


def read_catalog(path):
    """(index with ``commands`` per service, detail(service) -> dict)."""
    import zstandard

    data = open(path, "rb").read()
    if data[:8] != MAGIC:
        raise SystemExit(f"{path}: not an aws-mcp catalog")
    n = struct.unpack("<I", data[8:12])[0]
    dctx = zstandard.ZstdDecompressor()
    index = json.loads(dctx.decompress(data[12:12 + n], max_output_size=1 << 28))
    if index.get("format") != FORMAT:
        raise SystemExit(f"{path}: catalog format {index.get('format')}, expected {FORMAT}: "
                         "regenerate it with tools/catalog-gen/generate.py")
    frames = 12 + n

    def frame(span):
        off, ln = span
        return json.loads(dctx.decompress(data[frames + off:frames + off + ln],
                                          max_output_size=1 << 28))

    for svc in index["services"]:
        svc["commands"] = frame(svc["summaries"])
    return index, lambda svc: frame(svc["blob"])
