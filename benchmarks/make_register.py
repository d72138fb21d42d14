"""Write a valid synthetic register of N organisations, for benchmarks and scale tests.

    python benchmarks/make_register.py --orgs 10000 --out benchmarks/out/register-10000

The descriptor, schemas and every table except the organisations are copied from the repository's
register/, so the synthetic register tests the real data contract. The N organisation files are
drawn from the real area, measure and offer-type ids with `random.Random(seed)`: the same
arguments give the same bytes (on any day from the anchor date on). Every organisation is a
sample (`sample: true`, "Sample organisation 00042", example.org contacts), reviewed within the
six months before the anchor date and never after today, so `python build.py check` passes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "register"
ANCHOR = dt.date(2026, 11, 1)
TOWNS = (
    "Norwich",
    "Dereham",
    "Thetford",
    "Cromer",
    "Diss",
    "Wymondham",
    "Aylsham",
    "Swaffham",
    "King's Lynn",
    "Great Yarmouth",
    "Fakenham",
    "Holt",
    "Acle",
    "Watton",
    "Hunstanton",
)
WHAT = (
    "runs evening sessions for young people",
    "supports people affected by crime",
    "looks after a community green space",
    "helps people back into work",
    "offers a drop-in advice service",
    "runs sport and arts clubs for local families",
)
WHO = ("volunteers and a small paid team", "a committee of local residents", "two part-time staff")


def _ids(name: str) -> list[str]:
    rows = yaml.load((SOURCE / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or []
    return [str(row["id"]) for row in rows]


def _organisation(
    number: int, rng: random.Random, ids: dict[str, list[str]], today: dt.date
) -> str:
    key = f"{number:05d}"
    reviewed = min(ANCHOR - dt.timedelta(days=rng.randrange(0, 180)), today)
    safeguarding = rng.random() < 0.05
    lines = [
        f"id: sample-organisation-{key}",
        f'name: "Sample organisation {key}"',
        f"org_id: GB-CHC-{2000000 + number}",
        "description: >-",
        f"  A fictional organisation that {rng.choice(WHAT)}. It is run by {rng.choice(WHO)}",
        "  and is generated for benchmarks, so it describes no real group.",
        f"areas: [{', '.join(rng.sample(ids['areas'], rng.randint(1, 3)))}]",
        f"measures: [{', '.join(rng.sample(ids['measures'], rng.randint(1, 4)))}]",
        f"offers: [{', '.join(rng.sample(ids['offers'], rng.randint(1, 3)))}]",
        "welcomes: Staff time, donations and professional advice.",
        "contact:",
        f"  email: contact@org-{key}.example.org",
        f"  website: https://org-{key}.example.org/",
    ]
    if safeguarding:
        lines.append("safeguarding: true")
    else:
        lines.append(f'town: "{rng.choice(TOWNS)}"')
    lines += [f"reviewed: {reviewed.isoformat()}", "sample: true"]
    return "\n".join(lines) + "\n"


def make_register(orgs: int, out: Path, seed: int = 42, today: dt.date | None = None) -> Path:
    """Write the register into `out` (its old organisation files are removed) and return `out`."""
    today = today or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    for table in SOURCE.glob("*.yaml"):
        shutil.copy(table, out / table.name)
    shutil.copytree(SOURCE / "schemas", out / "schemas", dirs_exist_ok=True)
    folder = out / "organisations"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    ids = {
        "areas": _ids("areas.yaml"),
        "measures": _ids("measures.yaml"),
        "offers": _ids("offer-types.yaml"),
    }
    rng = random.Random(seed)
    for number in range(1, orgs + 1):
        text = _organisation(number, rng, ids, today)
        (folder / f"sample-organisation-{number:05d}.yaml").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, required=True, help="how many organisations")
    parser.add_argument("--out", type=Path, required=True, help="register folder to write")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    args = parser.parse_args(argv)
    if not 1 <= args.orgs <= 999_999:
        parser.error("--orgs must be between 1 and 999999")
    make_register(args.orgs, args.out, args.seed)
    print(f"Wrote {args.orgs} organisations into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
