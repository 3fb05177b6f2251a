"""Generate the AWS region and service gazetteers of the knowledge base from botocore data.

Usage: python scripts/gen_aws_kb.py [DATA_DIR] [--out OUT_DIR]

DATA_DIR defaults to `../shared/data/aws_botocore_regions_services` relative to the
repository root; OUT_DIR defaults to `pipeline/lang/kb/`. Two files are written:

- `aws_regions.yaml`: every region of every partition in `partitions.json` (the
  `*-global` pseudo-regions are skipped) with its description, the place named in
  the description ("US East (N. Virginia)" -> "Northern Virginia", also "N. Virginia"),
  and the availability-zone id prefix (`use1` for us-east-1, as in `use1-az4`).
- `aws_services.yaml`: one entry per row of `aws_services.tsv`, keyed by the botocore
  name, with the aliases that are safe to match in prose.

Alias filter (services). Candidates are serviceFullName, serviceAbbreviation and
serviceId, plus the first two without their leading "Amazon " / "AWS ". A candidate
is dropped when:

1. it has no upper-case letter (`amp`, `drs`, `kendra`): an API identifier, not a name;
2. it glues the vendor to the name (`AWSBudgets`, `AmazonApiGatewayV2`): not prose;
3. it is not qualified by "Amazon"/"AWS" and every token is a plain word (`Glue`,
   `Connect`, `Machine Learning`, `Security Incident Response`), since such words
   occur in outage prose with their ordinary meaning; KEEP_PLAIN lists the
   distinctive exceptions (`Lambda`, `Elastic Load Balancing`, ...);
4. it is an acronym that is common outside AWS (GENERIC_ACRONYMS: `RAM`, `SSO`, `EMR`...)
   or a generic technical token (`IoT`, `AIOps`), or an ordinary hyphenated phrase
   (GENERIC_NAMES: `X-Ray`, `Single Sign-On`).

An alias claimed by two services goes to the one with the shortest botocore name
(`Elastic Load Balancing` -> elb, not elbv2). Short acronyms (`S3`, `EC2`, `IAM`) and
the kept plain-word names (`Lambda`, `Direct Connect`) are written under `exact` and
matched case-sensitively: AWS always capitalises them, prose that uses the words in
their ordinary sense does not.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "aws_botocore_regions_services"
DEFAULT_OUT = REPO_ROOT / "pipeline" / "lang" / "kb"

VENDOR_PREFIXES = ("Amazon ", "AWS ")
GLUED_VENDOR = re.compile(r"^(?:Amazon|AWS)[A-Z]")
PLAIN_TOKEN = re.compile(r"^(?:[A-Z]?[a-z]+|[-&/]|and|for|of|on|with|the)$")
# Tokens that look distinctive (capitals inside) but are generic technical words.
GENERIC_TOKENS = frozenset({"API", "APIs", "V2", "v2", "SDK", "AI", "ML", "IoT", "AIOps", "DevOps", "SMS", "ID"})
# Acronyms that name other things in ordinary or technical prose.
GENERIC_ACRONYMS = frozenset(
    {
        "ACM", "ARC", "DAX", "DLM", "DRS", "EMR", "EVS", "FIS", "FMS", "OAM", "OSIS", "PCS",
        "PI", "RAM", "RUM", "SES", "SFN", "SSM", "SSO", "SWF", "WAF", "WAFV2", "MQ", "B2BI", "MPA",
    }
)  # fmt: skip
# Unqualified names with a hyphen (so not caught by the plain-word test) that are ordinary words.
GENERIC_NAMES = frozenset({"X-Ray", "Single Sign-On", "Sign-In Service", "Multi-party Approval", "Import/Export"})
# Unqualified plain-word names that are distinctive enough to match on their own.
KEEP_PLAIN = frozenset(
    {
        "Lambda", "Redshift", "Kinesis", "Lightsail", "Cognito", "Rekognition", "Textract",
        "Bedrock", "Greengrass", "Keyspaces", "Elastic Beanstalk", "Elastic Load Balancing",
        "Elastic Compute Cloud", "Elastic Block Store", "Elastic File System",
        "Elastic Container Registry", "Elastic Kubernetes Service", "Simple Storage Service",
        "Simple Queue Service", "Simple Notification Service", "Simple Email Service",
        "Simple Workflow Service", "Identity and Access Management", "Key Management Service",
        "Security Token Service", "Relational Database Service", "Step Functions",
        "Secrets Manager", "Direct Connect", "Global Accelerator", "Storage Gateway",
    }
)  # fmt: skip
# Availability-zone id prefixes: us-east-1 -> use1, ap-southeast-3 -> apse3.
AZ_PART = {
    "east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
    "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw", "gov": "g",
}  # fmt: skip
AZ_PARTITIONS = frozenset({"aws", "aws-us-gov", "aws-cn"})
ZONE_FORMATS = ["{code}a", "{az_id_prefix}-az1"]
# Abbreviated place names in region descriptions and their spelled-out forms.
PLACE_PREFIXES = {"N. ": "Northern ", "S. ": "Southern "}
PLACE_NAMES = {"UAE": "United Arab Emirates", "Sao Paulo": "São Paulo"}
NOT_A_PLACE = re.compile(r"^(?:US-)?(?:East|West|Central|North|South)$", re.IGNORECASE)
SHORT_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,4}$")


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def _is_plain(alias: str) -> bool:
    return all(PLAIN_TOKEN.match(token) for token in alias.split())


def keep_alias(alias: str) -> bool:
    """Whether a candidate service alias is safe to match in prose (filter in the module docstring)."""
    if not alias or not any(ch.isupper() for ch in alias):
        return False
    if GLUED_VENDOR.match(alias):
        return False
    if alias.startswith(VENDOR_PREFIXES):
        return True
    if alias in KEEP_PLAIN:
        return True
    if alias in GENERIC_NAMES:
        return False
    tokens = alias.split()
    if len(tokens) == 1 and (alias in GENERIC_ACRONYMS or alias in GENERIC_TOKENS):
        return False
    return not all(PLAIN_TOKEN.match(t) or t in GENERIC_TOKENS for t in tokens)


def is_exact(alias: str) -> bool:
    """Short acronyms and kept unqualified plain-word names (`Lambda`, `Direct Connect`) match case-sensitively."""
    return bool(SHORT_ACRONYM.match(alias)) or (_is_plain(alias) and not alias.startswith(VENDOR_PREFIXES))


def service_candidates(row: dict[str, str]) -> list[str]:
    """Alias candidates of one botocore service, in order of preference."""
    names = [row["serviceFullName"], row["serviceAbbreviation"], row["serviceId"]]
    for name in names[:2]:
        for prefix in VENDOR_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                names.append(name[len(prefix) :])
    seen: set[str] = set()
    out = []
    for name in (n.strip() for n in names):
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def build_services(tsv_path: Path) -> list[dict]:
    """One entry per botocore service, aliases filtered and de-duplicated across services."""
    with tsv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    rows.sort(key=lambda r: r["botocore_name"])
    claim_order = sorted(rows, key=lambda r: (len(r["botocore_name"]), r["botocore_name"]))
    owner_of: dict[str, str] = {}
    for row in claim_order:
        for alias in filter(keep_alias, service_candidates(row)):
            owner_of.setdefault(_key(alias), row["botocore_name"])
    services = []
    for row in rows:
        name = row["botocore_name"]
        kept, keys = [], set()
        for alias in filter(keep_alias, service_candidates(row)):
            if owner_of[_key(alias)] == name and _key(alias) not in keys:
                keys.add(_key(alias))
                kept.append(alias)
        entry: dict = {
            "id": name,
            "name": row["serviceFullName"],
            "kind": "service",
            "service_id": row["serviceId"],
            "endpoint_prefix": row["endpointPrefix"],
            "name_is_alias": False,
        }
        aliases = [a for a in kept if not is_exact(a)]
        exact = [a for a in kept if is_exact(a)]
        if aliases:
            entry["aliases"] = aliases
        if exact:
            entry["exact"] = exact
        services.append(entry)
    return services


def az_id_prefix(code: str) -> str | None:
    """`us-east-1` -> `use1`; None when a part has no known abbreviation."""
    parts = code.split("-")
    middle = [AZ_PART.get(p) for p in parts[1:-1]]
    if len(parts) < 3 or None in middle or not parts[-1].isdigit():
        return None
    return parts[0] + "".join(m for m in middle if m) + parts[-1]


def region_place(description: str) -> tuple[str | None, list[str]]:
    """Canonical place name and its aliases from a description such as `US East (N. Virginia)`."""
    match = re.search(r"\(([^)]+)\)\s*$", description)
    if not match or NOT_A_PLACE.match(match.group(1).strip()):
        return None, []
    raw = match.group(1).strip()
    canonical = PLACE_NAMES.get(raw, raw)
    for short, full in PLACE_PREFIXES.items():
        if canonical.startswith(short):
            canonical = full + canonical[len(short) :]
    aliases = [raw] if raw == canonical else [raw, canonical]
    return canonical, aliases


def build_regions(partitions_path: Path) -> list[dict]:
    """Regions of every partition, skipping the `*-global` pseudo-regions."""
    data = json.loads(partitions_path.read_text(encoding="utf-8"))
    regions = []
    for partition in data["partitions"]:
        for code in sorted(partition["regions"]):
            description = partition["regions"][code]["description"]
            if code.endswith("-global"):
                continue
            entry: dict = {"code": code, "description": description, "partition": partition["id"]}
            prefix = az_id_prefix(code) if partition["id"] in AZ_PARTITIONS else None
            if prefix:
                entry["az_id_prefix"] = prefix
            place, place_aliases = region_place(description)
            if place:
                entry["place"] = place
                extra = [a for a in place_aliases if a != place]
                if extra:
                    entry["place_aliases"] = extra
            regions.append(entry)
    return regions


def source_info(data_dir: Path) -> dict[str, str]:
    """Dataset name and botocore commit, read from the dataset's SOURCE.md."""
    info = {"dataset": data_dir.name}
    source = data_dir / "SOURCE.md"
    if source.is_file():
        match = re.search(r"commit `([0-9a-f]{40})`", source.read_text(encoding="utf-8"))
        if match:
            info["botocore_commit"] = match.group(1)
    return info


class _Dumper(yaml.SafeDumper):
    """Block mappings, one-line lists of scalars: readable diffs."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _dump(header: str, payload: dict) -> str:
    body = yaml.dump(payload, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return header + body


HEADER = "# Generated by scripts/gen_aws_kb.py from {src}; do not edit by hand.\n# {what}\n"


def generate(data_dir: Path, out_dir: Path) -> list[Path]:
    """Write `aws_regions.yaml` and `aws_services.yaml` into `out_dir`; return their paths."""
    source = source_info(data_dir)
    regions = {
        "source": source,
        "providers": {"aws": {"zone_formats": ZONE_FORMATS, "regions": build_regions(data_dir / "partitions.json")}},
    }
    services = {"source": source, "provider": "aws", "services": build_services(data_dir / "aws_services.tsv")}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, payload, what in (
        ("aws_regions.yaml", regions, "Region code -> description, place named in it, availability-zone id prefix."),
        ("aws_services.yaml", services, "Alias filter: see the docstring of scripts/gen_aws_kb.py."),
    ):
        path = out_dir / name
        header = HEADER.format(src=f"{data_dir.name} (botocore)", what=what)
        path.write_text(_dump(header, payload), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.data_dir / "partitions.json").is_file():
        print(f"no botocore data at {args.data_dir}", file=sys.stderr)
        return 1
    for path in generate(args.data_dir, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
