#!/usr/bin/env python3
"""Writes cases.txt, the NIST PKITS test list, from the table BoringSSL
generated from PKITS.pdf (pki/testdata/nist-pkits/pkits_testcases-inl.h).

Usage: python3 make.py pkits_testcases-inl.h > cases.txt

Each test there names its certificates (trust anchor first, end entity
last), its CRLs, the path-validation inputs of RFC 5280 §6.1.1 that
differ from the defaults, and whether PKITS.pdf says the path validates.
One line per test comes out:

    NUMBER[/SUBPART] valid|invalid CERT,CERT,... CRL,CRL,... INPUTS

INPUTS is `-` for the defaults, or `;`-separated settings:
`policy-set=P,P` (user-initial-policy-set, default anyPolicy),
`explicit-policy`, `policy-mapping-inhibit`, `any-policy-inhibit`.
The outputs PKITS.pdf also gives (the user-constrained policy set) are
not written: the test checks the verdict."""
import re
import sys

SETTINGS = {
    "SetInitialExplicitPolicy(true)": "explicit-policy",
    "SetInitialPolicyMappingInhibit(true)": "policy-mapping-inhibit",
    "SetInitialInhibitAnyPolicy(true)": "any-policy-inhibit",
}


def names(block, array):
    """The quoted names of `array` in a test's body."""
    found = re.search(array + r"\[\] = \{(.*?)\};", block, re.S)
    return re.findall(r'"([A-Za-z0-9]+)"', found.group(1)) if found else []


def main(path):
    text = open(path, encoding="utf-8").read()
    seen = {}
    for block in text.split("WRAPPED_TYPED_TEST_P(")[1:]:
        number = re.search(r'info\.test_number = "([0-9.]+)";', block)
        if number is None:
            continue
        # PKITS runs some paths several times under other inputs
        # ("subparts"): the second is NUMBER/2, and so on.
        part = seen[number.group(1)] = seen.get(number.group(1), 0) + 1
        label = number.group(1) + (f"/{part}" if part > 1 else "")
        valid = re.search(r"info\.should_validate = (true|false);", block)
        inputs = []
        policy_set = re.search(r'SetInitialPolicySet\("([^"]*)"\)', block)
        if policy_set:
            inputs.append("policy-set=" + policy_set.group(1))
        inputs += [name for call, name in SETTINGS.items() if call in block]
        print(
            label,
            "valid" if valid.group(1) == "true" else "invalid",
            ",".join(names(block, "certs")),
            ",".join(names(block, "crls")) or "-",
            ";".join(inputs) or "-",
        )


if __name__ == "__main__":
    main(sys.argv[1])
