# The Python original's planner on the same fleet and virtual horizon as decnet-sim's, for
# `npm run bench:upstream` (bench/upstream.ts writes the job as JSON on stdin). UPSTREAM_DIR holds
# the original's `decnet/` package; nothing of it is copied here. Per tick of each decky, as the
# engine does: traffic or file 50/50; a file tick calls the original's realism planner for that
# decky (with an edit candidate half the time); every plan it returns is one unit of work: its
# body, the sha256 of the body and one JSON line written. Only the loop's CPU time is measured.
import hashlib
import heapq
import json
import math
import os
import random
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.environ["UPSTREAM_DIR"])
from decnet.realism.personas import EmailPersona  # noqa: E402
from decnet.realism.planner import pick  # noqa: E402

job = json.load(sys.stdin)
rng = random.Random(job["seed"])
personas = {p["name"]: EmailPersona(name=p["name"], email=p["email"], role=p["role"], active_hours=p.get("active_hours", "09:00-18:00")) for p in job["personas"]}
deckies = [{"uuid": d["uuid"], "name": d["name"], "ip": d["address"], "_realism_personas": [personas[n] for n in d["personas"]]} for d in job["deckies"]]
start, end, interval = job["startMs"] / 1000.0, job["endMs"] / 1000.0, job["interval"]
out = open(os.devnull, "w")

ticks = []
for i in range(len(deckies)):
    heapq.heappush(ticks, (start + max(1, round(-math.log(1 - rng.random()) * interval)), i))
planted = [[] for _ in deckies]
pool = []
plans = 0
traffic = 0
t0 = time.process_time()
while ticks:
    t, i = heapq.heappop(ticks)
    if t >= end:
        continue
    heapq.heappush(ticks, (t + max(1, round(-math.log(1 - rng.random()) * interval)), i))
    d = deckies[i]
    now = datetime.fromtimestamp(t, tz=timezone.utc)
    if rng.random() < 0.5:
        dst = deckies[rng.randrange(len(deckies))]
        if dst is d:
            continue
        line = {"at": now.isoformat(), "src": d["uuid"], "dst": dst["uuid"], "dst_ip": dst["ip"], "action": "exec:tcp_connect:22"}
        out.write(json.dumps(line) + "\n")
        traffic += 1
        continue
    files = planted[i] if job["mode"] == "decky" else pool
    cand = files[rng.randrange(len(files))] if files and rng.random() < 0.5 else None
    plan = pick([d] if job["mode"] == "decky" else deckies, now, edit_candidate=cand, rand=rng)
    if plan is None:
        continue
    if plan.action == "edit":
        body = (plan.previous_body or "") + f"{now.isoformat()} {plan.persona}\n"
    else:
        body = plan.body_hint or ""
    data = body.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    line = {"at": now.isoformat(), "decky": plan.decky_uuid, "persona": plan.persona, "contentClass": plan.content_class.value, "action": plan.action, "path": plan.target_path, "mtime": plan.mtime.isoformat() if plan.mtime else None, "content": {"data": body, "bytes": len(data), "sha256": sha}}
    out.write(json.dumps(line) + "\n")
    plans += 1
    if plan.action == "create" and plan.target_path and not plan.content_class.value.startswith("canary"):
        files.append({"decky_uuid": plan.decky_uuid, "decky_name": plan.decky_name, "path": plan.target_path, "persona": plan.persona, "content_class": plan.content_class.value, "last_body": body, "uuid": f"{i}-{len(files)}"})
        if len(files) > (64 if job["mode"] == "decky" else 64 * len(deckies)):
            files.pop(0)
    elif plan.action == "edit" and cand is not None:
        cand["last_body"] = body[-8192:]
seconds = time.process_time() - t0
print(json.dumps({"plans": plans, "traffic": traffic, "cpuSeconds": seconds, "python": sys.version.split()[0]}))
