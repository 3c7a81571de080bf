"""Validate FHIR R4 JSON files against the official FHIR R4 JSON schema.

Usage: python fhir_validate.py SCHEMA FILE...
       python fhir_validate.py --self-test SCHEMA FILE

Exit 0 when every file is valid, 1 when any is not (each error is printed
with its JSON path), 2 on a usage error. --self-test first proves that the
validator rejects broken copies of FILE (one mistake each), then validates
FILE itself: a validator that accepts everything must not pass CI.

The schema is the draft-06 fhir.schema.json HL7 publishes with R4; it checks
structure (resource types, element names and types, primitive patterns,
required elements, value-set enums of required bindings of code elements),
not invariants or terminology bindings.
"""

import copy
import json
import sys
import time

import jsonschema

MAX_ERRORS = 20


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def make_validator(schema_path):
    schema = load(schema_path)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft6Validator)
    cls.check_schema(schema)
    return cls(schema)


def where(error):
    return "$" + "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
    )


def errors_of(validator, doc):
    """The errors of a whole bundle. The schema's resource choice is a oneOf
    over every resource type, which is slow and gives useless messages, so
    each entry's resource is checked against its own type's definition, then
    the bundle without its resources against the whole schema (a resource
    type the schema does not know is an error too)."""
    found = []
    if isinstance(doc, dict) and doc.get("resourceType") == "Bundle" and isinstance(
        doc.get("entry"), list
    ):
        definitions = validator.schema["definitions"]
        by_kind = {}
        shell = dict(doc)
        shell["entry"] = []
        for i, entry in enumerate(doc["entry"]):
            if not isinstance(entry, dict):
                shell["entry"].append(entry)
                continue
            rest = {k: v for k, v in entry.items() if k != "resource"}
            shell["entry"].append(rest)
            if "resource" not in entry:
                continue
            resource = entry["resource"]
            kind = resource.get("resourceType") if isinstance(resource, dict) else None
            if kind not in definitions or kind not in validator.schema["discriminator"]["mapping"]:
                found.append((f"$.entry[{i}].resource", f"unknown resourceType {kind!r}"))
                continue
            sub = by_kind.get(kind)
            if sub is None:
                sub = validator.evolve(schema={"$ref": f"#/definitions/{kind}", "definitions": definitions})
                by_kind[kind] = sub
            for e in sub.iter_errors(resource):
                found.append((f"$.entry[{i}].resource" + where(e)[1:], e.message))
                if len(found) >= MAX_ERRORS:
                    return found
        doc = shell
    for e in validator.iter_errors(doc):
        found.append((where(e), e.message))
        if len(found) >= MAX_ERRORS:
            break
    return found


def first_observation(doc):
    for entry in doc["entry"]:
        if entry["resource"]["resourceType"] == "Observation":
            return entry["resource"]
    raise SystemExit("self-test: the bundle has no Observation to break")


def breakages(doc):
    """Broken copies of doc, one mistake each: (what, broken document)."""

    def broken(what, change):
        d = copy.deepcopy(doc)
        change(d)
        return what, d

    return [
        broken("status not in the value set", lambda d: first_observation(d).update(status="done")),
        broken("a month 13 in effectiveDateTime",
               lambda d: first_observation(d).update(effectiveDateTime="2026-13-01T07:30:00+00:00")),
        broken("an offset without a colon",
               lambda d: first_observation(d).update(effectiveDateTime="2026-11-01T07:30:00+0000")),
        broken("a misspelt element", lambda d: first_observation(d).update(valueQuantityy={"value": 1})),
        broken("a string where a number goes",
               lambda d: first_observation(d).update(valueQuantity={"value": "68.4", "code": "kg"})),
        broken("no code", lambda d: first_observation(d).pop("code")),
        broken("an unknown resource type",
               lambda d: d["entry"][0]["resource"].update(resourceType="Patiënt")),
        broken("a Bundle type not in the value set", lambda d: d.update(type="pile")),
        broken("an id with a space", lambda d: first_observation(d).update(id="not an id")),
    ]


def main(argv):
    self_test = False
    if argv and argv[0] == "--self-test":
        self_test = True
        argv = argv[1:]
    if len(argv) < 2 or (self_test and len(argv) != 2):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    start = time.monotonic()
    validator = make_validator(argv[0])
    failed = False
    if self_test:
        # A short bundle is enough to show each mistake is caught.
        doc = load(argv[1])
        doc["entry"] = doc["entry"][:20]
        for what, bad in breakages(doc):
            errs = errors_of(validator, bad)
            if not errs:
                print(f"self-test FAILED: a bundle with {what} was accepted")
                failed = True
            else:
                print(f"self-test: rejected a bundle with {what}: {errs[0][0]}: {errs[0][1][:100]}")
        if failed:
            return 1
    for path in argv[1:]:
        doc = load(path)
        errs = errors_of(validator, doc)
        if errs:
            failed = True
            print(f"{path}: INVALID ({len(errs)}{'+' if len(errs) >= MAX_ERRORS else ''} errors)")
            for p, msg in errs:
                print(f"  {p}: {msg[:300]}")
        else:
            kinds = {}
            for e in doc.get("entry", []):
                k = e.get("resource", {}).get("resourceType")
                kinds[k] = kinds.get(k, 0) + 1
            counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            print(f"{path}: valid FHIR R4 ({counts}) in {time.monotonic() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
