"""Write ``viewer/historical.py``, the table behind the Historical typography option, from
three published sources (fetch them at the commits named below; nothing is typed by hand):

- MUFI, the Medieval Unicode Font Initiative's character recommendation, as exported by
  mufi.info (``q.php?q=mufiexport``), in the copy ``metadata/mufi.json`` of
  https://github.com/tboenig/keyboardGT at f85cdbfb307c27db315b38f807f33beae1710929 (the copy
  OCR-D's gt-MufiLevelRules reads; repository licence CC BY-SA 4.0). Its ``codepointalt`` field
  is MUFI's own spelling of a private-use character in standard Unicode (``EEC4`` LATIN SMALL
  LIGATURE CK is ``0063 + 006B``).
- OCR-D's ground-truth transcription levels, ``metadata/megarules.json`` of
  https://github.com/OCR-D/gt-MufiLevelRules at 7d62f29cfdd6a3405e7f3be15172b1f127639e95
  (GPL-3.0; the rules of the OCR-D GT guidelines, which take precedence over MUFI's there):
  level 3 is the print as set, level 2 the same text with its typographic ligatures unjoined
  (``ﬅ`` is ``ſt``), level 1 normalised (``ſ`` is ``s``).
- dinglehopper's ``unjoin_ligatures`` (``src/dinglehopper/extracted_text.py`` of
  https://github.com/qurator-spk/dinglehopper at 1efb382a54c98cf2c6d716d134c57a2d1325a6b6,
  Apache-2.0), for the private-use ligatures OCR ground truth uses that MUFI does not list
  (``U+F502`` ch, eMOP's ``U+F532``–``U+F535``).

What is folded: the letter forms and ligature letters OCR-D level 1 writes as plain letters
(``ſ`` s, ``ꜹ`` av); the typographic ligatures OCR-D level 2 unjoins (letters on both sides);
every other MUFI private-use character with a standard spelling (letters keep their accents: a
PUA ``e`` with dot above and acute becomes ``e`` + U+0307 + U+0301, never ``e``);
dinglehopper's other private-use ligatures. Not folded, as OCR-D keeps them at every level:
``ꝛ`` (r rotunda, which Fraktur also sets for *et* in ``ꝛc.``), and abbreviations (``ꝑ`` per,
``⁊`` et, ``ꝯ`` con: words written short, not typography); nor letters in their own right
(``æ``, ``œ``, ``þ``). mufidecode (PyPI) is not used: it transliterates to ASCII (``é`` e,
``ß`` s, ``ꝑ`` p, ``ﬅ`` s), lacks U+F502, and is GPL-3.0.

    python tools/make_historical_table.py mufi.json megarules.json extracted_text.py \
        > viewer/historical.py
"""

from __future__ import annotations

import ast
import json
import re
import sys
import unicodedata
from pathlib import Path

PUA = range(0xE000, 0xF900)
_HEX = re.compile(r"[0-9A-Fa-f]{3,6}")


def is_pua(text: str) -> bool:
    return any(ord(c) in PUA for c in text)


def is_letters(text: str) -> bool:
    """Letters and their combining marks only (no digits, punctuation, spaces)."""
    return bool(text) and all(unicodedata.category(c)[0] in "LM" or ord(c) in PUA for c in text)


def table(mufi_path: str, megarules_path: str, dinglehopper_path: str):
    """``{code point: (folded text, source, name)}``, resolved so that one pass suffices."""
    rows: dict[int, tuple[str, str, str]] = {}
    for rule in json.loads(Path(megarules_path).read_text("utf-8"))["ruleset"]:
        level1, level2, level3 = rule["rule"]
        # letter forms and ligature letters level 1 writes as plain letters (``ſ`` s, ``ꜹ``
        # av); not a letter with a mark (``ã`` aa is an abbreviation expanded)
        if (len(level2) == 1 and unicodedata.category(level2).startswith("L")
                and level1 != level2 and is_letters(level1)
                and not any(map(unicodedata.combining, unicodedata.normalize("NFKD", level2)))):
            rows[ord(level2)] = (level1, "OCR-D level 1", unicodedata.name(level2))
        # typographic ligatures: one letter at level 3, unjoined letters at level 2
        elif (len(level3) == 1 and level2 != level3 and is_letters(level2)
              and (unicodedata.category(level3).startswith("L") or ord(level3) in PUA)):
            rows[ord(level3)] = (level2, "OCR-D level 2", unicodedata.name(level3, ""))
    names = {}
    alternatives = {}
    for entry in json.loads(Path(mufi_path).read_text("utf-8")):
        cp = int(entry["codepoint"], 16)
        names[cp] = entry["description"]
        parts = entry["codepointalt"].split("+")
        # (one row has a name there instead of code points: skipped)
        if entry["deprecated"] == "0" and all(_HEX.fullmatch(p.strip()) for p in parts):
            alternatives[cp] = "".join(chr(int(p, 16)) for p in parts)
    for cp, alt in alternatives.items():
        if cp in PUA and cp not in rows:
            rows[cp] = (alt, "MUFI", names[cp])
    for name, value in _dinglehopper_ligatures(dinglehopper_path).items():
        if (len(name) == 1 and ord(name) in PUA and ord(name) not in rows
                and is_letters(value)):  # not ``q&``, which it marks as a guess
            rows[ord(name)] = (value, "dinglehopper", names.get(ord(name), ""))
    for cp, (folded, source, name) in rows.items():
        if not name:
            rows[cp] = (folded, source, names.get(cp, "not in MUFI"))
    # resolve: a MUFI spelling may name another PUA character or a long s (``ﬅ`` is ``ſt``)
    trans = {cp: folded for cp, (folded, _, _) in rows.items()}
    for cp, (folded, source, name) in list(rows.items()):
        for _ in range(4):
            folded = folded.translate(trans)
        folded = unicodedata.normalize("NFC", folded)
        if is_pua(folded) or not folded or folded == chr(cp):
            del rows[cp]  # no standard spelling in the end: left as it is
        else:
            rows[cp] = (folded, source, name)
    return dict(sorted(rows.items()))


def _dinglehopper_ligatures(path: str) -> dict[str, str]:
    tree = ast.parse(Path(path).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "unjoin_ligatures":
            for sub in ast.walk(node):
                if isinstance(sub, ast.Dict):
                    return {ast.literal_eval(k): ast.literal_eval(v)
                            for k, v in zip(sub.keys, sub.values, strict=True)}
    raise SystemExit("unjoin_ligatures not found")


HEADER = '''# ruff: noqa: E501 (generated rows, one a line)
"""The Historical typography option's table (generated: ``tools/make_historical_table.py``
says from what, at which commits, and what is folded; do not edit by hand).

``HISTORICAL[code point]`` is the text that character is compared as: ``ſ`` as ``s``,
typographic ligatures unjoined, and every MUFI private-use character in its standard Unicode
spelling. Sources: the MUFI character recommendation (Medieval Unicode Font
Initiative, mufi.info; its export as copied in tboenig/keyboardGT, CC BY-SA 4.0), OCR-D's
ground-truth transcription levels (OCR-D/gt-MufiLevelRules, GPL-3.0) and dinglehopper's
ligature table (qurator-spk/dinglehopper, Apache-2.0). The comment on each row names the
character and the source of its row.
"""

HISTORICAL = {
'''


def main(argv: list[str]) -> None:
    rows = table(*argv)
    out = [HEADER]
    for cp, (folded, source, name) in rows.items():
        value = "".join(c if c.isascii() and c.isprintable() and c not in "\\\"" else
                        f"\\u{ord(c):04x}" for c in folded)
        out.append(f'    0x{cp:04X}: "{value}",  # {name} ({source})\n')
    out.append("}\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
