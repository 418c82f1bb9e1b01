#!/usr/bin/env python3
"""Writes annals(1) in troff from the binary's own help: `annals --help`, then `annals help SUB …` for every
subcommand the help lists, depth first. Usage: make-manpage.py ANNALS_BINARY VERSION > annals.1"""
import re
import subprocess
import sys

binary, version = sys.argv[1], sys.argv[2]


def help_text(path):
    args = [binary, "help", *path] if path else [binary, "--help"]
    out = subprocess.run(args, capture_output=True, text=True, env={"COLUMNS": "78", "PATH": "/usr/bin:/bin"})
    return (out.stdout or out.stderr).rstrip() + "\n"


def subcommands(text):
    names, inside = [], False
    for line in text.splitlines():
        if line.startswith("SUBCOMMANDS:"):
            inside = True
            continue
        if inside:
            if line and not line.startswith(" "):
                break
            m = re.match(r"^  ([a-z][a-z0-9-]*)(\s|$)", line)
            if m:
                names.append(m.group(1))
    return [n for n in names if n != "help"]


def escape(line):
    line = line.replace("\\", "\\e")
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def block(text):
    return ".nf\n" + "\n".join(escape(l) for l in text.rstrip().splitlines()) + "\n.fi\n"


root = help_text([])
overview = root.split("\n\n")[0].replace("OVERVIEW: ", "").replace("\n", " ").strip()
out = [
    '.TH ANNALS 1 "" "annals %s" "User Commands"' % version,
    ".SH NAME",
    "annals \\- " + escape(overview[0].lower() + overview[1:].rstrip(".")),
    ".SH SYNOPSIS",
    ".B annals",
    ".I subcommand",
    "[\\fIoptions\\fR]",
    ".SH DESCRIPTION",
    "This page is generated from the program's own help (\\fBannals help\\fR \\fIsubcommand\\fR prints the same).",
    block(root).rstrip("\n"),
    ".SH COMMANDS",
]


def walk(path):
    for name in subcommands(help_text(path)):
        sub = path + [name]
        out.append(".SS annals " + " ".join(sub))
        out.append(block(help_text(sub)).rstrip("\n"))
        walk(sub)


walk([])
out += [
    ".SH FILES",
    ".TP",
    ".I /etc/default/annals",
    "Settings of the annals and annals-backup services (the registry, the server's options, the backups kept).",
    ".TP",
    ".I /var/lib/annals/annals.sqlite",
    "The registry of the annals service.",
    ".TP",
    ".I /var/lib/annals/backups",
    "The daily backups taken by annals-backup.timer.",
    ".SH SEE ALSO",
    "/usr/share/doc/annals/examples/nginx-annals.conf",
    "",
]
sys.stdout.write("\n".join(out))
