#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/docs.py - the examples and snippets of README.md and doc/*.md, for
# t/85-docs.t. Markdown conventions it reads:
#
#   ```console            examples the test runs: "$ check_eas_... ARGS"
#   $ check_eas_x ARGS     (a trailing "\" continues the command), then the
#   output lines           output shown, then "(exit code N)". A line "..."
#   (exit code N)          in the output marks an excerpt: refresh keeps as
#   ```                    many real lines as are shown before and after it.
#   ```console-norun      the same form, for servers the test cannot be
#                         (mail.example.com): counted, never run.
#   <!-- doc-setup: SHELL -->  just before a console fence: shell run before
#                         each of its examples (a server scenario).
#   ```icinga2 / ```nagios   configuration validated by the real daemon.
#
# Subcommands:
#   extract OUTDIR FILE...     N.cmd N.setup N.where N.want (rc, state,
#                              perfdata labels) per example; snip-N.icinga2,
#                              snip-N.nagios (+ .where); norun.count
#   got OUTFILE RCFILE         rc, state and labels of a real run
#   refresh OUTDIR [--all] VAR=VALUE...  rewrite the shown output of every
#                              example run with its real output (values ->
#                              $VAR); one whose output changed only in its
#                              numbers is left alone unless --all
#   links FILE...              relative links and #anchors that resolve
#                              nowhere, one per line
#   nagios-stubs SNIPPET       host definitions the snippet's services need
import os
import re
import sys

FENCE = re.compile(r'^(```+|~~~+)\s*([A-Za-z0-9_-]*)\s*$')
EXIT = re.compile(r'^\(exit code (\d+)\)$')
SETUP = re.compile(r'^<!--\s*doc-setup:\s*(.*?)\s*-->\s*$')


def blocks(path):
    """(kind, first content line index, lines, setup) for each fence."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    out, i, setup = [], 0, []
    while i < len(lines):
        m = FENCE.match(lines[i])
        s = SETUP.match(lines[i])
        if s:
            setup.append(s.group(1))
            i += 1
            continue
        if not m:
            if lines[i].strip():
                setup = []
            i += 1
            continue
        marker, kind = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and not lines[j].startswith(marker[:3]):
            j += 1
        out.append((kind, i + 1, lines[i + 1:j], setup))
        setup = []
        i = j + 1
    return lines, out


def examples(body):
    """(start, end, command, output lines, rc) in a console block body."""
    res, i = [], 0
    while i < len(body):
        if not body[i].startswith('$ '):
            i += 1
            continue
        start = i
        cmd = body[i][2:]
        while cmd.endswith('\\') and i + 1 < len(body):
            i += 1
            cmd = cmd[:-1] + ' ' + body[i].strip()
        out = []
        i += 1
        rc = None
        while i < len(body):
            m = EXIT.match(body[i])
            if m:
                rc = int(m.group(1))
                break
            if body[i].startswith('$ '):
                break
            out.append(body[i])
            i += 1
        res.append((start, i, cmd, out, rc))
        i += 1
    return res


LABEL = re.compile(r"\s*(?:'((?:''|[^'])*)'|([^ '=]+))=\S*")


def summary(text_lines):
    """state word and perfdata labels of an output."""
    first = text_lines[0] if text_lines else ''
    state, labels = '', []
    m = re.match(r'^EAS \S+ (OK|WARNING|CRITICAL|UNKNOWN)\b', first)
    if m:
        state = m.group(1)
        if '|' in first:
            perf = first.split('|', 1)[1]
            for lm in LABEL.finditer(perf):
                labels.append((lm.group(1) or lm.group(2) or '').replace("''", "'"))
    else:
        js = '\n'.join(text_lines)
        m = re.search(r'"state"\s*:\s*"([A-Z]+)"', js)
        if m:
            state = m.group(1)
    return state, labels


def cmd_extract(outdir, files):
    os.makedirs(outdir, exist_ok=True)
    n = s = norun = 0
    for path in files:
        _, bl = blocks(path)
        for kind, first, body, setup in bl:
            if kind in ('icinga2', 'nagios'):
                s += 1
                with open(f'{outdir}/snip-{s}.{kind}', 'w') as f:
                    f.write('\n'.join(body) + '\n')
                with open(f'{outdir}/snip-{s}.where', 'w') as f:
                    f.write(f'{path}:{first}\n')
                continue
            if kind not in ('console', 'console-norun'):
                continue
            for start, end, cmd, out, rc in examples(body):
                where = f'{path}:{first + start + 1}'
                if not cmd.startswith('check_eas_'):
                    continue
                if kind == 'console-norun':
                    norun += 1
                    with open(f'{outdir}/norun.list', 'a') as f:
                        f.write(where + '\n')
                    continue
                n += 1
                state, labels = summary(out)
                with open(f'{outdir}/{n}.cmd', 'w') as f:
                    f.write(cmd + '\n')
                with open(f'{outdir}/{n}.setup', 'w') as f:
                    f.write('\n'.join(setup) + '\n')
                with open(f'{outdir}/{n}.where', 'w') as f:
                    f.write(where + '\n')
                with open(f'{outdir}/{n}.want', 'w') as f:
                    f.write(f"{'' if rc is None else rc}\n{state}\n{' '.join(labels)}\n")
    with open(f'{outdir}/count', 'w') as f:
        f.write(f'{n} {norun} {s}\n')


def cmd_got(outfile, rcfile):
    with open(outfile, encoding='utf-8', errors='replace') as f:
        out = f.read().rstrip('\n').split('\n')
    with open(rcfile) as f:
        rc = f.read().strip()
    state, labels = summary(out)
    print(f"{rc}\n{state}\n{' '.join(labels)}")


def masked(text, subst):
    for var, val in subst:
        if not val:
            continue
        if val.isdigit():
            text = re.sub(rf'(?<=[:\s]){re.escape(val)}\b', '$' + var, text)
        else:
            text = text.replace(val, '$' + var)
    return text


def numberless(lines):
    return [re.sub(r'[0-9]+', '0', line) for line in lines]


def cmd_refresh(outdir, pairs):
    every = pairs[:1] == ['--all']
    if every:
        pairs = pairs[1:]
    subst = []
    for p in pairs:
        var, _, val = p.partition('=')
        subst.append((var, val))
    # longest values first: $T/pki before $T
    subst.sort(key=lambda vv: -len(vv[1]))
    by_file = {}
    n = 0
    while os.path.exists(f'{outdir}/{n + 1}.where'):
        n += 1
        with open(f'{outdir}/{n}.where') as f:
            path, line = f.read().strip().rsplit(':', 1)
        if not os.path.exists(f'{outdir}/{n}.out'):
            continue
        with open(f'{outdir}/{n}.out', encoding='utf-8', errors='replace') as f:
            real = masked(f.read().rstrip('\n'), subst).split('\n')
        with open(f'{outdir}/{n}.rc') as f:
            rc = f.read().strip()
        by_file.setdefault(path, []).append((int(line), real, rc))
    for path, items in by_file.items():
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        # bottom up, so that earlier line numbers stay valid
        for line, real, rc in sorted(items, reverse=True):
            i = line - 1
            while lines[i].rstrip().endswith('\\'):
                i += 1
            j = i + 1
            while j < len(lines) and not EXIT.match(lines[j]) and not lines[j].startswith('$ ') \
                    and not FENCE.match(lines[j]):
                j += 1
            shown = lines[i + 1:j]
            if '...' in shown:
                head = shown.index('...')
                tail = len(shown) - head - 1
                if len(real) > head + tail:
                    new = real[:head] + ['...'] + (real[len(real) - tail:] if tail else [])
                else:
                    new = real
            else:
                new = real
            exit_line = [f'(exit code {rc})']
            if j < len(lines) and EXIT.match(lines[j]):
                # only numbers changed (times, sizes, dates): keep it as
                # shown, so that a refresh's diff holds only real changes
                if not every and lines[j] == exit_line[0] and numberless(shown) == numberless(new):
                    continue
                j += 1
            lines[i + 1:j] = new + exit_line
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))


def slug(heading):
    """GitHub's anchor for a heading."""
    h = heading.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)
    return h.replace(' ', '-')


def anchors(path):
    res, seen = set(), {}
    lines, _ = blocks(path)
    infence = False
    for line in lines:
        if FENCE.match(line):
            infence = not infence
            continue
        if infence:
            continue
        m = re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', line)
        if m:
            a = slug(m.group(1))
            k = seen.get(a, 0)
            seen[a] = k + 1
            res.add(a if k == 0 else f'{a}-{k}')
        for m in re.finditer(r'<a (?:name|id)="([^"]+)"', line):
            res.add(m.group(1))
    return res


def cmd_links(files):
    bad = 0
    for path in files:
        base = os.path.dirname(path)
        lines, _ = blocks(path)
        infence = False
        for no, line in enumerate(lines, 1):
            if FENCE.match(line):
                infence = not infence
                continue
            if infence:
                continue
            line = re.sub(r'`[^`]*`', '', line)
            for m in re.finditer(r'\]\(([^)\s]+)\)', line):
                target = m.group(1)
                if re.match(r'^[a-z]+:', target):
                    continue
                file, _, frag = target.partition('#')
                dest = os.path.normpath(os.path.join(base, file)) if file else path
                if not os.path.exists(dest):
                    print(f'{path}:{no}: {target}: no file {os.path.relpath(dest)}')
                    bad += 1
                    continue
                if frag and dest.endswith('.md') and frag not in anchors(dest):
                    print(f'{path}:{no}: {target}: no heading #{frag} in {dest}')
                    bad += 1
    return bad


def cmd_nagios_stubs(snippet):
    with open(snippet) as f:
        text = f.read()
    defined, used = set(), []
    for m in re.finditer(r'define\s+(\w+)\s*\{(.*?)\}', text, re.S):
        kind, body = m.group(1), m.group(2)
        hm = re.search(r'^\s*host_name\s+(\S+)', body, re.M)
        if not hm:
            continue
        if kind == 'host':
            defined.add(hm.group(1))
        elif hm.group(1) not in used:
            used.append(hm.group(1))
    for h in used:
        if h not in defined:
            print('define host {\n    use generic-host\n    host_name %s\n    address 127.0.0.1\n'
                  '    max_check_attempts 1\n    check_period 24x7\n    contact_groups admins\n'
                  '    notification_interval 60\n    notification_period 24x7\n}' % h)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'extract':
        cmd_extract(args[0], args[1:])
    elif cmd == 'got':
        cmd_got(args[0], args[1])
    elif cmd == 'refresh':
        cmd_refresh(args[0], args[1:])
    elif cmd == 'links':
        sys.exit(1 if cmd_links(args) else 0)
    elif cmd == 'nagios-stubs':
        cmd_nagios_stubs(args[0])
    else:
        sys.exit(f'docs.py: unknown command {cmd}')


if __name__ == '__main__':
    main()
