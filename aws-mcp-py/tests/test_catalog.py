"""The catalog from Python: lookups, stats, errors."""

import pytest

import aws_mcp


def test_embedded_catalog_lookups():
    cat = aws_mcp.Catalog()
    assert "ec2" in cat.services()
    assert "describe-instances" in cat.operations("ec2")
    cmd = cat.command("ec2", "describe-instances")
    assert cmd["api"] == {"service": "ec2", "operation": "DescribeInstances"}
    names = {a["name"] for a in cmd["args"]}
    assert {"instance-ids", "filters", "max-items"} <= names
    assert cat.command("ec2", "describe-instance") is None
    assert cat.operations("nope") == []


def test_customizations_have_positional_args():
    cp = aws_mcp.Catalog().command("s3", "cp")
    paths = [a for a in cp["args"] if a["name"] == "paths"][0]
    assert paths["positional"] is True
    assert cp["api"] is None


def test_stats_match_the_table():
    st = aws_mcp.Catalog().stats()
    assert st["commands"] >= 20_500
    assert st["services"] >= 449


def test_bad_catalog_file_raises_typed_error(tmp_path):
    with pytest.raises(aws_mcp.CatalogError) as e:
        aws_mcp.Catalog.from_path(str(tmp_path / "missing.bin"))
    assert e.value.kind == "catalog"
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a catalog")
    with pytest.raises(aws_mcp.AwsMcpError, match="AWSMCPC1"):
        aws_mcp.Catalog.from_path(str(bad))
