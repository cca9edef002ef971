"""Write the list of provinces and communes that the units app ships, from the PyPI package
vietnam-provinces (a dev dependency): `python scripts/admin_units_csv.py OUT.csv`.

Our file is plain CSV in our own columns so that the site never depends on the package's
layout at run time; tests/units/test_admin_units.py checks that the two agree."""

import csv
import json
import sys
import unicodedata
from pathlib import Path

import vietnam_provinces

COLUMNS = [
    "province_code",
    "province_name",
    "province_kind",
    "commune_code",
    "commune_name",
    "commune_kind",
]


def main(out: Path) -> None:
    nested = Path(vietnam_provinces.__file__).parent / "data" / "nested-divisions.json"
    provinces = json.loads(nested.read_text(encoding="utf-8"))
    with out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for province in provinces:
            for commune in province["wards"]:
                writer.writerow(
                    [
                        f"{province['code']:02d}",
                        unicodedata.normalize("NFC", province["name"]),
                        province["division_type"],
                        f"{commune['code']:05d}",
                        unicodedata.normalize("NFC", commune["name"]),
                        commune["division_type"],
                    ]
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
