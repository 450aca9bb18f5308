// The fixed shell scripts run inside a decky with `docker exec -i <c> sh -c '<script>' sh ARGS`.
// They are constants: every path and value arrives as a positional parameter ("$1" ...) and is
// only ever expanded inside double quotes, so no value is parsed as shell code. Written for
// POSIX sh with the tools busybox and GNU coreutils share (sha256sum, base64 -d, mktemp, chmod,
// chown, id, touch -d 'YYYY-MM-DD HH:MM:SS', mv -f, stat). Times carry nanoseconds: GNU touch
// sets them; busybox touch rejects a fraction, so each touch retries with the whole second.
//
// Each script prints exactly one status line; no status line means the call itself failed
// (container stopped, engine unreachable), which the caller reads from docker's exit and stderr.

/**
 * Atomic write with a read-back check.
 *   $1 path  $2 mode  $3 owner login  $4 mtime (also given to directories it creates)
 *   $5 time of an existing parent directory ('' = keep it: an append changes no entry there)  $6 expected current sha256 ('' = the file must not
 *   exist yet)  $7 sha256 of the new body  $8 atime  $9 mode of the directory it creates.
 *   Body: base64 on stdin.
 * Status: WROTE | ALREADY (holds the new body: an earlier run wrote it) |
 *         DIVERGED <symlink|not-a-file|changed|missing> <found sha or -> | ERROR <reason>
 * The file is never touched unless it holds exactly what we last wrote (or is absent for a
 * create): a file changed behind our back is evidence and stays as it is.
 */
export const WRITE_SCRIPT = `set -u
umask 022
TZ=UTC0
export TZ
p=$1 mode=$2 owner=$3 mtime=$4 dtime=$5 expect=$6 new=$7 atime=$8 dmode=$9
say() { printf '%s\\n' "$*"; }
# touch -m|-a with nanoseconds, else (busybox rejects a fraction) the whole second.
stamp() { touch "$1" -d "$2" "$3" 2>/dev/null || touch "$1" -d "\${2%.*}" "$3"; }
d=\${p%/*}
[ -n "$d" ] || d=/
if [ -L "$p" ]; then say "DIVERGED symlink -"; exit 0; fi
if [ -e "$p" ]; then
  if [ ! -f "$p" ]; then say "DIVERGED not-a-file -"; exit 0; fi
  cur=$(sha256sum < "$p") || { say "ERROR cannot read the current file"; exit 0; }
  cur=\${cur%% *}
  if [ "$cur" = "$new" ]; then say "ALREADY"; exit 0; fi
  if [ "$cur" != "$expect" ]; then say "DIVERGED changed $cur"; exit 0; fi
elif [ -n "$expect" ]; then
  say "DIVERGED missing -"; exit 0
fi
top=
x=$d
while [ ! -d "$x" ]; do
  top=$x
  x=\${x%/*}
  [ -n "$x" ] || x=/
done
if [ -n "$top" ]; then
  mkdir -p "$d" || { say "ERROR cannot create the directory"; exit 0; }
  chmod "$dmode" "$d" 2>/dev/null
fi
keep=
if [ -z "$dtime" ] && [ -z "$top" ]; then keep=$(stat -c %y "$d" 2>/dev/null) && keep=\${keep% *}; fi
b=\${p##*/}
[ "\${#b}" -le 200 ] || b=tmp
tmp=$(mktemp "$d/.$b.XXXXXX") || { say "ERROR cannot create a temporary file"; exit 0; }
fail() { rm -f "$tmp"; say "ERROR $1"; exit 0; }
base64 -d > "$tmp" || fail "the payload does not decode"
got=$(sha256sum < "$tmp") || fail "cannot read back the temporary file"
[ "\${got%% *}" = "$new" ] || fail "payload sha256 mismatch (truncated input)"
chmod "$mode" "$tmp" || fail "chmod failed"
if [ "$owner" != root ] && uid=$(id -u "$owner" 2>/dev/null) && gid=$(id -g "$owner" 2>/dev/null); then
  chown "$uid:$gid" "$tmp" || fail "chown failed"
  case $top in /home/*) chown -R "$uid:$gid" "$top" ;; esac
fi
stamp -m "$mtime" "$tmp" || fail "touch failed"
stamp -a "$atime" "$tmp" || fail "touch failed"
mv -f "$tmp" "$p" || fail "rename failed"
x=$d
if [ -n "$top" ]; then
  # Directories made for the file, and the one that now holds the first of them, date from it.
  stamp -m "$mtime" "$x"
  while [ "$x" != "$top" ] && [ "$x" != / ]; do
    x=\${x%/*}
    [ -n "$x" ] || x=/
    stamp -m "$mtime" "$x"
  done
  x=\${x%/*}
  [ -n "$x" ] || x=/
  stamp -m "$mtime" "$x"
else
  [ -n "$dtime" ] || dtime=$keep
  [ -z "$dtime" ] || stamp -m "$dtime" "$x"
fi
say WROTE
`;

/**
 * SSH banner probe from inside the source decky, with what it has: python3, else a netcat.
 *   $1 destination address  $2 port  $3 timeout in seconds
 * Status: OK <tool> <banner> | FAIL <tool> <what came back, possibly nothing> | NOTOOL
 */
export const PROBE_SCRIPT = `set -u
a=$1 port=$2 t=$3
say() { printf '%s\\n' "$*"; }
line=
if command -v python3 >/dev/null 2>&1; then
  tool=python3
  line=$(python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), float(sys.argv[3]))
s.settimeout(float(sys.argv[3]))
b = b""
while b"\\n" not in b and len(b) < 512:
    d = s.recv(512)
    if not d:
        break
    b += d
s.close()
sys.stdout.write(b.split(b"\\n")[0].decode("latin-1"))
' "$a" "$port" "$t" 2>/dev/null)
elif command -v nc >/dev/null 2>&1; then
  tool=nc
  if command -v timeout >/dev/null 2>&1; then
    line=$(timeout "$t" nc -w "$t" "$a" "$port" </dev/null 2>/dev/null | head -n 1)
  else
    line=$(nc -w "$t" "$a" "$port" </dev/null 2>/dev/null | head -n 1)
  fi
else
  say NOTOOL
  exit 0
fi
line=$(printf '%s' "$line" | tr -d '\\r')
case $line in
  SSH-*) say "OK $tool $line" ;;
  *) say "FAIL $tool $line" ;;
esac
`;
