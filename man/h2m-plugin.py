#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""h2m-plugin.py HELP_FILE [DOC_MD] > PLUGIN.h2m

A plugin's own help2man include file (Makefile.am's man page rule):

  [SYNOPSIS]      the usage lines of its --help, joined (help2man would keep
                  only the first line of a wrapped usage)
  [=DESCRIPTION]  the purpose from the first line of --help (without the
                  usage lines help2man would leave there)
  [STATES], [PERFDATA], [=EXAMPLES]
                  the sections "## States", "## Perfdata" and "## Examples"
                  of doc/PLUGIN.md, from Markdown (paragraphs, bullet and
                  numbered lists, tables, fenced code, ### subheadings).
                  A missing file or section is skipped: the page then has
                  --help's examples and no STATES or PERFDATA.
"""
import os
import re
import sys

SECTIONS = {"states": "STATES", "perfdata": "PERFDATA", "examples": "=EXAMPLES"}


def esc(text):
    """Plain text for roff: backslashes and minus signs (groff would print a
    hyphen, and a copied option would not work)."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def line_out(text):
    """A text line that neither roff takes for a request nor help2man for
    a section ("[name]") or a pattern ("/re/") of its include file."""
    return "\\&" + text if text.startswith((".", "'", "[", "/")) else text


def inline(text):
    """Markdown inline markup to roff fonts: `code` and **strong** bold,
    *emphasis* italic, [text](link) as text (and an absolute URL after it)."""
    out, pos = [], 0
    for m in re.finditer(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])[*_]([^*_\s][^*_]*?)[*_](?![\w*])"
                         r"|\[([^\]]+)\]\(([^)\s]+)\)", text):
        out.append(esc(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("\\fB" + esc(m.group(1)) + "\\fR")
        elif m.group(2) is not None:
            out.append("\\fB" + inline(m.group(2)) + "\\fR")
        elif m.group(3) is not None:
            out.append("\\fI" + inline(m.group(3)) + "\\fR")
        else:
            out.append(inline(m.group(4)))
            if re.match(r"[a-z]+://", m.group(5)):
                out.append(" <" + esc(m.group(5)) + ">")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def cells(row):
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    parts = re.split(r"(?<!\\)\|", row)
    return [p.strip().replace("\\|", "|") for p in parts]


def convert(lines):
    """Markdown lines of one section to roff lines."""
    out, i, para = [], 0, []

    def flush():
        if para:
            out.append(".PP")
            out.append(line_out(inline(" ".join(para))))
            para.clear()

    while i < len(lines):
        line = lines[i].rstrip("\n")
        stripped = line.strip()
        fence = re.match(r"^\s*(```|~~~)", line)
        if fence:
            flush()
            out += [".PP", ".RS 4", ".nf"]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence.group(1)):
                out.append(line_out(esc(lines[i].rstrip("\n"))))
                i += 1
            out += [".fi", ".RE"]
            i += 1
            continue
        if not stripped or stripped.startswith("<!--"):
            flush()
            i += 1
            continue
        heading = re.match(r"^#{3,6}\s+(.*?)\s*#*$", stripped)
        if heading:
            flush()
            out += [".SS " + '"' + inline(heading.group(1)).replace('"', '\\(dq') + '"']
            i += 1
            continue
        if stripped.startswith("|") and i + 1 < len(lines) and \
                re.match(r"^\s*\|?\s*:?-{3,}", lines[i + 1]):
            flush()
            head = cells(stripped)
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                row = cells(lines[i])
                tag = inline(row[0])
                out += [".TP", line_out(tag if tag.startswith("\\f") else "\\fB" + tag + "\\fR")]
                rest = row[1:]
                if len(rest) == 1:
                    out.append(line_out(inline(rest[0])))
                else:
                    first = True
                    for h, c in zip(head[1:], rest):
                        if not c:
                            continue
                        if not first:
                            out.append(".br")
                        out.append("\\fI" + inline(h) + "\\fR: " + inline(c))
                        first = False
                i += 1
            continue
        item = re.match(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$", line)
        if item:
            flush()
            mark = "\\(bu" if item.group(2) in "-*+" else item.group(2)
            text = [item.group(3).strip()]
            i += 1
            # the item's continuation lines: indented, or plain text that
            # starts no other block
            while i < len(lines) and lines[i].strip() and \
                    not re.match(r"^\s*([-*+]|\d+[.)])\s+|^\s*(```|~~~|\||#)", lines[i]):
                text.append(lines[i].strip())
                i += 1
            out += [".IP " + mark + " 4", line_out(inline(" ".join(text)))]
            continue
        para.append(re.sub(r"^>\s?", "", stripped))
        i += 1
    flush()
    return out


def doc_sections(path):
    """{section name: [lines]} for the "## " sections we show."""
    found, name = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^##\s+(.*?)\s*#*$", line.rstrip("\n"))
            if m and not line.startswith("###"):
                key = m.group(1).strip().lower()
                name = key if key in SECTIONS else None
                if name:
                    found[name] = []
                continue
            if re.match(r"^#\s", line):
                name = None
                continue
            if name:
                found[name].append(line)
    return found


def synopsis(help_lines):
    """The usage lines as roff: one .B line per form ("Usage:", "or:")."""
    forms, inside = [], False
    for line in help_lines:
        line = line.rstrip("\n")
        m = re.match(r"^Usage:\s+(\S+)\s*(.*)$", line)
        if m:
            forms.append([m.group(1), m.group(2)])
            inside = True
            continue
        if not inside:
            continue
        if not line.strip():
            break
        m = re.match(r"^\s+or:\s+(\S+)\s*(.*)$", line)
        if m:
            forms.append([m.group(1), m.group(2)])
        else:
            forms[-1][1] += " " + line.strip()
    out = []
    for prog, args in forms:
        # .SY/.YS: a hanging indent, no hyphenation, no justification; a
        # bracketed group is never broken (unbreakable spaces inside).
        words = re.findall(r"\[[^][]*(?:\[[^][]*\][^][]*)*\]|\{[^}]*\}|\S+", args)
        out.append(".SY " + prog)
        out += [line_out(esc(w).replace(" ", "\\ ")) for w in words]
        out.append(".YS")
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: h2m-plugin.py HELP_FILE [DOC_MD]")
    with open(sys.argv[1], encoding="utf-8") as f:
        help_lines = f.readlines()
    first = re.match(r"^(\S+) \S+ - (.*)$", help_lines[0].rstrip("\n")) if help_lines else None
    if not first or not synopsis(help_lines):
        sys.exit("h2m-plugin.py: %s: no 'NAME VERSION - purpose' line or no Usage: line"
                 % sys.argv[1])
    print("[SYNOPSIS]")
    print("\n".join(synopsis(help_lines)))
    print("[=DESCRIPTION]")
    print(".B " + first.group(1))
    print(line_out(inline(first.group(2))) + ".")
    doc = sys.argv[2] if len(sys.argv) == 3 else None
    if doc and os.path.exists(doc):
        found = doc_sections(doc)
        for key in ("states", "perfdata", "examples"):
            body = convert(found.get(key, []))
            if body:
                print("[%s]" % SECTIONS[key])
                print("\n".join(body))


if __name__ == "__main__":
    main()
