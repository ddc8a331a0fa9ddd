#!/usr/bin/env python3
"""Writes the BetterTLS cases ferrotls's tests judge, from the export of
Netflix's BetterTLS (github.com/Netflix/bettertls, commit e1e99e3,
Apache-2.0): `bettertls export-tests --out tests.json` (docs/pki.md,
"BetterTLS", says how it was built without Go's module proxy).

Usage: python3 make.py tests.json

Writes, beside this script:
- pathbuilding.json: the whole path-building suite (81 cases);
- nameconstraints.json: of the 9,491 name-constraint cases, those
  ferrotls judged otherwise than BetterTLS on 2026-12-07 before the two
  fixes they led to (DIFFERED, 368 cases), and every 50th case besides.

Each file holds the export's trust root and its cases as the export
writes them: certificates (base64 DER, end entity first), host name,
expected ACCEPT or REJECT, required features, and whether BetterTLS
scores a failure as a warning. The certificates are valid from
2026-12-06 to 2027-12-08."""
import json
import sys

# The name-constraint cases that differed, as (first, last) id ranges.
DIFFERED = [
    (1708, 1710), (1714, 1719), (1723, 1728), (1732, 1737), (1741, 1746),
    (1750, 1755), (1759, 1761), (1789, 1789), (1791, 1791), (1795, 1795),
    (1797, 1798), (1800, 1800), (1804, 1804), (1806, 1806), (1816, 1816),
    (1818, 1818), (1822, 1822), (1824, 1825), (1827, 1827), (1831, 1831),
    (1833, 1833), (1870, 1871), (1876, 1877), (1888, 1889), (1894, 1895),
    (1897, 1898), (1903, 1904), (1915, 1916), (1921, 1922), (3166, 3168),
    (3172, 3177), (3181, 3186), (3190, 3195), (3199, 3204), (3208, 3213),
    (3217, 3219), (3328, 3329), (3334, 3335), (3346, 3347), (3352, 3353),
    (3355, 3356), (3361, 3362), (3373, 3374), (3379, 3380), (3895, 3897),
    (3901, 3906), (3910, 3915), (3919, 3924), (3928, 3933), (3937, 3942),
    (3946, 3948), (3976, 3976), (3978, 3978), (3982, 3982), (3984, 3985),
    (3987, 3987), (3991, 3991), (3993, 3993), (4003, 4003), (4005, 4005),
    (4009, 4009), (4011, 4012), (4014, 4014), (4018, 4018), (4020, 4020),
    (5191, 5191), (5193, 5194), (5196, 5197), (5199, 5200), (5202, 5203),
    (5205, 5206), (5208, 5208), (5218, 5218), (5220, 5221), (5223, 5224),
    (5226, 5227), (5229, 5230), (5232, 5233), (5235, 5235), (5245, 5245),
    (5247, 5248), (5250, 5251), (5253, 5254), (5256, 5257), (5259, 5260),
    (5262, 5262), (5677, 5677), (5679, 5680), (5682, 5682), (5686, 5686),
    (5688, 5689), (5691, 5691), (5731, 5731), (5733, 5734), (5736, 5736),
    (5740, 5740), (5742, 5743), (5745, 5745), (5920, 5920), (5922, 5923),
    (5925, 5926), (5928, 5929), (5931, 5932), (5934, 5935), (5937, 5937),
    (5947, 5947), (5949, 5950), (5952, 5953), (5955, 5956), (5958, 5959),
    (5961, 5962), (5964, 5964), (5974, 5974), (5976, 5977), (5979, 5980),
    (5982, 5983), (5985, 5986), (5988, 5989), (5991, 5991), (6163, 6163),
    (6165, 6165), (6169, 6169), (6171, 6172), (6174, 6174), (6178, 6178),
    (6180, 6180), (6190, 6190), (6192, 6192), (6196, 6196), (6198, 6199),
    (6201, 6201), (6205, 6205), (6207, 6207), (7405, 7405), (7407, 7408),
    (7410, 7411), (7413, 7414), (7416, 7417), (7419, 7420), (7422, 7422),
    (7432, 7432), (7434, 7435), (7437, 7438), (7440, 7441), (7443, 7444),
    (7446, 7447), (7449, 7449), (8107, 8107), (8109, 8110), (8112, 8113),
    (8115, 8116), (8118, 8119), (8121, 8122), (8124, 8124), (8134, 8134),
    (8136, 8137), (8139, 8140), (8142, 8143), (8145, 8146), (8148, 8149),
    (8151, 8151), (8161, 8161), (8163, 8164), (8166, 8167), (8169, 8170),
    (8172, 8173), (8175, 8176), (8178, 8178), (8350, 8350), (8352, 8352),
    (8356, 8356), (8358, 8359), (8361, 8361), (8365, 8365), (8367, 8367),
    (8377, 8377), (8379, 8379), (8383, 8383), (8385, 8386), (8388, 8388),
    (8392, 8392), (8394, 8394), (8593, 8593), (8595, 8596), (8598, 8598),
    (8602, 8602), (8604, 8605), (8607, 8607), (8647, 8647), (8649, 8650),
    (8652, 8652), (8656, 8656), (8658, 8659), (8661, 8661)
]

EVERY = 50


def main(path):
    export = json.load(open(path, encoding="utf-8"))
    root = export["trustRoot"]
    differed = {i for first, last in DIFFERED for i in range(first, last + 1)}
    suites = export["suites"]
    picks = {
        "pathbuilding": suites["pathbuilding"]["testCases"],
        "nameconstraints": [
            case
            for case in suites["nameconstraints"]["testCases"]
            if case["id"] in differed or case["id"] % EVERY == 0
        ],
    }
    for name, cases in picks.items():
        with open(f"{name}.json", "w", encoding="utf-8") as out:
            json.dump({"trustRoot": root, "testCases": cases}, out, indent=0)
            out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
