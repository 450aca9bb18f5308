// The one fixed shell program every `docker exec -i [-u <user>] <container> sh -s` runs. It
// arrives on stdin, followed by a request in a quoted here-document that the program's `main`
// reads line by line: `op <name>`, then `<key> <value>` lines, then optionally `body` and the
// payload in base64 lines. Nothing of a request is ever parsed as shell code (the here-document
// delimiter is quoted, so nothing in it is expanded) and nothing about a file reaches the argv
// or the environment of any process in the container:
// - content goes through redirections (`base64 -d > f`, `sha256sum < f`): generic argv;
// - directories are entered one component at a time (`cd -P`), then checked with `pwd -P`, and
//   every later step uses names relative to that directory;
// - mode, times, directory creation and the final rename go through `meta`: one fixed perl
//   program reading tab-separated lines on its stdin when the image has perl (GNU images), else
//   the tools themselves (on busybox images these applets run inside the shell process, so no
//   process with their arguments exists; on a GNU image without perl their argv would show).
// Written for POSIX sh: busybox ash and dash/bash with GNU coreutils.
//
// The operations are listed once, in src/live/protocol.ts (OPERATIONS); each is an `op_<name>`
// function here. Each prints exactly one status line; none means the call itself failed
// (container stopped, engine unreachable), which the caller reads from docker's exit and output.

/**
 * Fixed perl program behind `meta` on images that have perl: one operation per line, tab
 * separated. Time::HiRes (when there) gives sub-second times.
 */
const META_PERL = `BEGIN{eval{require Time::HiRes;Time::HiRes->import(qw(utime stat))}}` +
  `while(<STDIN>){chomp;my($o,@a)=split(/\\t/,$_,-1);` +
  `if($o eq "mkdir"){mkdir($a[0],oct($a[1]))&&chmod(oct($a[1]),$a[0])||exit 1}` +
  `elsif($o eq "chmod"){chmod(oct($a[0]),$a[1])||exit 1}` +
  `elsif($o eq "utime"){utime($a[0],$a[1],$a[2])||exit 1}` +
  `elsif($o eq "mtime"){my @s=stat($a[1]);@s||exit 1;utime($s[8],$a[0],$a[1])||exit 1}` +
  `elsif($o eq "stattime"){my @s=stat($a[0]);@s||exit 1;print "$s[9]\\n"}` +
  `elsif($o eq "rename"){(-d $a[1]&&!-l $a[1])&&exit 1;rename($a[0],$a[1])||exit 1}` +
  `else{exit 2}}`;

export const SCRIPT = `set -u
umask 022
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TZ=UTC0
export PATH TZ
say() { printf '%s\\n' "$*"; }
TAB=$(printf '\\t')
if command -v perl >/dev/null 2>&1; then HAVE_PERL=1; else HAVE_PERL=; fi
# meta LINES: operations, one per line, fields separated by tabs, names relative to the current
# directory (always ./NAME):  mkdir NAME MODE | chmod MODE NAME | utime ATIME MTIME NAME |
# mtime MTIME NAME | stattime NAME (prints its mtime) | rename FROM TO.  Times are epoch seconds,
# with a fraction where the tools take one.
stamp() { touch "$1" -d "@$2" "$3" 2>/dev/null || touch "$1" -d "@\${2%.*}" "$3"; }
meta() {
  if [ -n "$HAVE_PERL" ]; then
    printf '%s\n' "$1" | perl -e '${META_PERL.replace(/'/g, "'\\''")}'
    return
  fi
  printf '%s\n' "$1" | while IFS=$TAB read -r o a b c; do
    case $o in
      mkdir) mkdir -m "$b" "$a" || exit 1 ;;
      chmod) chmod "$a" "$b" || exit 1 ;;
      utime) { stamp -a "$a" "$c" && stamp -m "$b" "$c"; } || exit 1 ;;
      mtime) stamp -m "$a" "$b" || exit 1 ;;
      stattime) stat -c %Y "$a" || exit 1 ;;
      rename) if [ -d "$b" ] && [ ! -L "$b" ]; then exit 1; fi; mv -f -T "$a" "$b" 2>/dev/null || mv -f "$a" "$b" || exit 1 ;;
      *) exit 2 ;;
    esac
  done
}
# Request fields: R_<key>=<value> for each "key value" line, until "body" or the end.
read_request() {
  R_op= R_body=
  while IFS= read -r line; do
    k=\${line%% *}
    v=\${line#* }
    [ "$k" = "$line" ] && v=
    case $k in
      body) R_body=1; return 0 ;;
      *[!a-z_]*|'') say "ERROR bad request line"; return 1 ;;
    esac
    eval "R_$k=\\$v"
  done
  return 0
}
# Enter the directory $1 from /, one component at a time; components missing are created with
# mode $2 when $2 is given. Each component must resolve (cd -P, pwd -P) to where the path says:
# a symbolic link or anything else redirecting us is a divergence, and nothing is written.
# Sets CREATED to the number of components made.
enter_dir() {
  CREATED=0
  cd -P / || { say "ERROR cannot enter /"; return 1; }
  rest=\${1#/}
  here=
  while [ -n "$rest" ]; do
    c=\${rest%%/*}
    if [ "$c" = "$rest" ]; then rest=; else rest=\${rest#*/}; fi
    here=$here/$c
    if [ -L "./$c" ]; then say "DIVERGED redirect -"; return 1; fi
    if [ ! -e "./$c" ]; then
      if [ -z "$2" ]; then say "DIVERGED missing-directory -"; return 1; fi
      # The folder that holds the file gets the planned mode (~/.ssh 0700), folders above it 0755.
      m=0755
      [ -n "$rest" ] || m=$2
      meta "mkdir$TAB./$c$TAB$m" || { say "ERROR cannot create a directory"; return 1; }
      CREATED=$((CREATED + 1))
    elif [ ! -d "./$c" ]; then
      say "DIVERGED not-a-directory -"; return 1
    fi
    cd -P "./$c" 2>/dev/null || { say "ERROR cannot enter a directory"; return 1; }
    [ "$(pwd -P)" = "$here" ] || { say "DIVERGED redirect -"; return 1; }
  done
  return 0
}
# write: dir base mode mtime atime dtime ('-' = keep the folder's time: an append changes no
# entry there) expect ('-' = must not exist yet) new tmp dmode, body.
# Folders made for the file, and the one holding the first of them, get the file's mtime.
# Status: WROTE | ALREADY (holds the new body already) |
#         DIVERGED <symlink|not-a-file|changed|missing|redirect|not-a-directory> <found sha or -> |
#         ERROR <reason>
# The file is never touched unless it holds exactly what we last wrote (or is absent for a
# create): a file changed behind our back is evidence and stays as it is.
op_write() {
  : "\${R_dir:?}" "\${R_base:?}" "\${R_mode:?}" "\${R_mtime:?}" "\${R_atime:?}" "\${R_dtime:?}" "\${R_expect:?}" "\${R_new:?}" "\${R_tmp:?}" "\${R_dmode:?}"
  [ -n "$R_body" ] || { say "ERROR no body"; return; }
  f=./$R_base
  t=./$R_tmp
  enter_dir "$R_dir" "$R_dmode" || return
  if [ -L "$f" ]; then say "DIVERGED symlink -"; return; fi
  if [ -e "$f" ]; then
    if [ ! -f "$f" ]; then say "DIVERGED not-a-file -"; return; fi
    cur=$(sha256sum < "$f") || { say "ERROR cannot read the current file"; return; }
    cur=\${cur%% *}
    if [ "$cur" = "$R_new" ]; then say "ALREADY"; return; fi
    if [ "$cur" != "$R_expect" ]; then say "DIVERGED changed $cur"; return; fi
  elif [ "$R_expect" != - ]; then
    say "DIVERGED missing -"; return
  fi
  keep=
  if [ "$CREATED" -eq 0 ] && [ "$R_dtime" = - ]; then keep=$(meta "stattime$TAB.") || keep=; fi
  fail() { rm -f "$t"; say "ERROR $1"; }
  # noclobber: the temporary name must be new (never a file or link someone placed there).
  umask 077
  set -C
  if ! { base64 -d; } > "$t"; then set +C; umask 022; fail "cannot write a temporary file"; return; fi
  set +C
  umask 022
  got=$(sha256sum < "$t") || { fail "cannot read back the temporary file"; return; }
  [ "\${got%% *}" = "$R_new" ] || { fail "payload sha256 mismatch (truncated input)"; return; }
  meta "chmod$TAB$R_mode$TAB$t
utime$TAB$R_atime$TAB$R_mtime$TAB$t" || { fail "setting the mode or times failed"; return; }
  meta "rename$TAB$t$TAB$f" || { fail "rename failed"; return; }
  if [ "$CREATED" -gt 0 ]; then
    d=.
    ops="mtime$TAB$R_mtime$TAB."
    n=$CREATED
    while [ "$n" -gt 0 ]; do
      d=$d/..
      ops="$ops
mtime$TAB$R_mtime$TAB$d"
      n=$((n - 1))
    done
    meta "$ops" 2>/dev/null
  elif [ "$R_dtime" != - ]; then
    meta "mtime$TAB$R_dtime$TAB." 2>/dev/null
  elif [ -n "$keep" ]; then
    meta "mtime$TAB$keep$TAB." 2>/dev/null
  fi
  say WROTE
}
# logins: "login NAME" lines. Prints "LOGIN NAME UID GID HOME" or "NOLOGIN NAME" for each,
# from /etc/passwd read by the shell, then "DONE".
op_logins() {
  for want in $R_names; do
    found=
    while IFS=: read -r n _ uid gid _ home _; do
      if [ "$n" = "$want" ]; then found="$uid $gid $home"; break; fi
    done < /etc/passwd
    if [ -n "$found" ]; then say "LOGIN $want $found"; else say "NOLOGIN $want"; fi
  done
  say DONE
}
# facts: no fields. The container's host facts, read by the shell itself (no other process):
# "HOST <name>" from the kernel's UTS name (else /etc/hostname), one "USER <login> <uid> <gid>"
# per /etc/passwd line (and "GECOS <login> <text>" after it when the comment field is set), then
# "DONE".
op_facts() {
  h=
  if [ -r /proc/sys/kernel/hostname ]; then read -r h < /proc/sys/kernel/hostname; fi
  if [ -z "$h" ] && [ -r /etc/hostname ]; then read -r h < /etc/hostname; fi
  say "HOST $h"
  while IFS=: read -r n _ uid gid gecos _; do
    say "USER $n $uid $gid"
    [ -n "$gecos" ] && say "GECOS $n $gecos"
  done < /etc/passwd
  say DONE
}
# adduser: name home. Creates the login with its home (useradd, else busybox adduser, else the
# account files edited directly). Status: CREATED <uid> <gid> | EXISTS | ERROR <reason>
op_adduser() {
  : "\${R_name:?}" "\${R_home:?}"
  while IFS=: read -r n _ _ _ _ _ _; do
    [ "$n" = "$R_name" ] && { say EXISTS; return; }
  done < /etc/passwd
  if command -v useradd >/dev/null 2>&1; then
    useradd -m -U -d "$R_home" -s /bin/sh "$R_name" >/dev/null 2>&1 || { say "ERROR useradd failed"; return; }
  elif command -v adduser >/dev/null 2>&1 && adduser -D -h "$R_home" -s /bin/sh "$R_name" >/dev/null 2>&1; then
    :
  else
    uid=1000
    while IFS=: read -r _ _ u _ _ _ _; do
      case $u in ''|*[!0-9]*) continue ;; esac
      [ "$u" -ge "$uid" ] && [ "$u" -lt 60000 ] && uid=$((u + 1))
    done < /etc/passwd
    gid=$uid
    while IFS=: read -r _ _ g _; do
      case $g in ''|*[!0-9]*) continue ;; esac
      [ "$g" -ge "$gid" ] && [ "$g" -lt 60000 ] && gid=$((g + 1))
    done < /etc/group
    printf '%s:x:%s:\\n' "$R_name" "$gid" >> /etc/group || { say "ERROR cannot add the group"; return; }
    printf '%s:x:%s:%s::%s:/bin/sh\\n' "$R_name" "$uid" "$gid" "$R_home" >> /etc/passwd || { say "ERROR cannot add the user"; return; }
    enter_dir "\${R_home%/*}" "" || return
    meta "mkdir$TAB./\${R_home##*/}$TAB""0755" || { say "ERROR cannot create the home"; return; }
    chown "$uid:$gid" "./\${R_home##*/}" || { say "ERROR cannot give the home to the user"; return; }
  fi
  while IFS=: read -r n _ uid gid _ _ _; do
    [ "$n" = "$R_name" ] && { say "CREATED $uid $gid"; return; }
  done < /etc/passwd
  say "ERROR the user is not there after creating it"
}
# probe: address port timeout. SSH banner probe from inside the source decky, with what it has:
# python3, else a netcat. Status: OK <tool> <banner> | FAIL <tool> <what came back> | NOTOOL
op_probe() {
  : "\${R_address:?}" "\${R_port:?}" "\${R_timeout:?}"
  a=$R_address port=$R_port t=$R_timeout
  line=
  if command -v python3 >/dev/null 2>&1; then
    tool=python3
    line=$(printf '%s\\n' "$a" "$port" "$t" | python3 -c '
import socket, sys
a, port, t = sys.stdin.read().split()
s = socket.create_connection((a, int(port)), float(t))
s.settimeout(float(t))
b = b""
while b"\\n" not in b and len(b) < 512:
    d = s.recv(512)
    if not d:
        break
    b += d
s.close()
sys.stdout.write(b.split(b"\\n")[0].decode("latin-1"))
' 2>/dev/null)
  elif command -v nc >/dev/null 2>&1; then
    tool=nc
    if command -v timeout >/dev/null 2>&1; then
      line=$(timeout "$t" nc -w "$t" "$a" "$port" </dev/null 2>/dev/null | head -n 1)
    else
      line=$(nc -w "$t" "$a" "$port" </dev/null 2>/dev/null | head -n 1)
    fi
  else
    say NOTOOL
    return
  fi
  line=$(printf '%s' "$line" | tr -d '\\r')
  case $line in
    SSH-*) say "OK $tool $line" ;;
    *) say "FAIL $tool $line" ;;
  esac
}
# move: dir base to ('-' = delete) expect dtime. Rename a file we wrote to another name in the same
# folder (logrotate), or delete it (a cleanup job), never through a symlink and never onto
# anything already there. The rename keeps the file's mtime, as logrotate's does; the folder's
# mtime becomes dtime (the planned time of the change, as the folder entry changed then).
# Status: MOVED | ALREADY (done by an earlier run: the file is gone, the target holds its sha) |
#         DIVERGED <symlink|not-a-file|changed|missing|target-exists|redirect|...> <found sha or -> |
#         ERROR <reason>
op_move() {
  : "\${R_dir:?}" "\${R_base:?}" "\${R_to:?}" "\${R_expect:?}" "\${R_dtime:?}"
  f=./$R_base
  enter_dir "$R_dir" "" || return
  if [ ! -e "$f" ] && [ ! -L "$f" ]; then
    if [ "$R_to" = - ]; then say ALREADY; return; fi
    if [ -f "./$R_to" ] && [ ! -L "./$R_to" ]; then
      got=$(sha256sum < "./$R_to") && [ "\${got%% *}" = "$R_expect" ] && { say ALREADY; return; }
    fi
    say "DIVERGED missing -"; return
  fi
  if [ -L "$f" ]; then say "DIVERGED symlink -"; return; fi
  if [ ! -f "$f" ]; then say "DIVERGED not-a-file -"; return; fi
  cur=$(sha256sum < "$f") || { say "ERROR cannot read the file"; return; }
  cur=\${cur%% *}
  if [ "$cur" != "$R_expect" ]; then say "DIVERGED changed $cur"; return; fi
  if [ "$R_to" = - ]; then
    rm -f "$f" || { say "ERROR cannot delete"; return; }
  else
    if [ -e "./$R_to" ] || [ -L "./$R_to" ]; then say "DIVERGED target-exists -"; return; fi
    meta "rename$TAB$f$TAB./$R_to" || { say "ERROR rename failed"; return; }
  fi
  meta "mtime$TAB$R_dtime$TAB." 2>/dev/null
  say MOVED
}
# The status line is the answer; the shell itself exits 0 whenever it got to print one.
main() {
  read_request || return 0
  case $R_op in
    write) op_write ;;
    logins) op_logins ;;
    facts) op_facts ;;
    adduser) op_adduser ;;
    probe) op_probe ;;
    move) op_move ;;
    *) say "ERROR unknown operation" ;;
  esac
  return 0
}
`;
