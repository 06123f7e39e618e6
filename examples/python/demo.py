"""A small tour of switchboard from Python: open a practice, parse numbers,
record and verify the audit trail. Run: python3 examples/python/demo.py [DB]"""
import sys
import tempfile
import os

import switchboard as sb


def main() -> int:
    if len(sys.argv) > 1:
        return tour(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        return tour(os.path.join(folder, "demo.db"))


def tour(path: str) -> int:
    print(f"switchboard {sb.version_string()} from Python")
    with sb.Practice(path, practice="Maple Street Clinic") as clinic:
        for typed in ("(415) 555-2671", "911", "(123) 456-7890"):
            try:
                phone = sb.parse_phone(typed)
                print(f"  {typed:16} -> {phone.number} ({phone.kind})")
            except sb.PhoneNumberError as err:
                print(f"  {typed:16} -> refused: {err}")
        with clinic.transaction():
            clinic.audit_record(sb.ACTOR_SYSTEM, "chart.export", "contact", 42)
            clinic.audit_record(sb.ACTOR_SYSTEM, "chart.print", "contact", 42)
        print(f"audit trail: {clinic.audit_verify(sb.ACTOR_SYSTEM)} entries, chain intact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
