import json, sys, urllib.request, urllib.error, re, datetime
from openapi_schema_validator import OAS30Validator
BASE = "http://127.0.0.1:18731"
doc = json.load(open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "../../docs/openapi.json")))
def deref(x):
    if isinstance(x, dict):
        if "$ref" in x:
            node = doc
            for p in x["$ref"][2:].split("/"): node = node[p]
            return deref(node)
        return {k: deref(v) for k, v in x.items()}
    if isinstance(x, list): return [deref(v) for v in x]
    return x
def find_op(method, path):
    for pat, item in doc["paths"].items():
        rx = "^" + re.sub(r"\{[^}]+\}", "[^/]+", pat) + "$"
        if re.match(rx, path) and method.lower() in item: return pat, item[method.lower()]
    return None, None
problems = []; seen = set()
def props_of(s):
    p = dict(s.get("properties", {}))
    for part in s.get("allOf", []): p.update(props_of(part))
    return p
def undoc(s, v, where):
    out = []
    if isinstance(v, dict):
        p = props_of(s)
        if not p: return out
        for k, x in v.items():
            if k not in p: out.append(where + "/" + k)
            else: out += undoc(p[k], x, where + "/" + k)
    elif isinstance(v, list) and "items" in s:
        for x in v[:3]: out += undoc(s["items"], x, where + "[]")
    return out
def call(method, path, body=None, token=None, cookie=None, csrf=None, raw=None, expect=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    if cookie: req.add_header("Cookie", "tj_session=" + cookie)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    try:
        r = urllib.request.urlopen(req); st = r.status; txt = r.read(); hdrs = r.headers
    except urllib.error.HTTPError as e:
        st = e.code; txt = e.read(); hdrs = e.headers
    j = json.loads(txt) if txt else None
    pat, op = find_op(method, path.split("?")[0])
    tag = f"{method} {path} -> {st}"
    if op is None: problems.append(tag + ": undocumented"); return st, j, hdrs
    seen.add((method, pat))
    resp = op["responses"].get(str(st))
    if resp is None: problems.append(tag + f": status not documented {j}")
    else:
        sch = deref(resp).get("content", {}).get("application/json", {}).get("schema")
        if sch is not None:
            errs = list(OAS30Validator(deref(sch)).iter_errors(j))
            extra = undoc(deref(sch), j, "")
            if extra: problems.append(tag + ": undocumented fields " + ", ".join(extra[:5]))
            if errs: problems.append(tag + ": " + "; ".join(f"{'/'.join(map(str,e.path))}: {e.message}" for e in errs[:3]))
        elif j is not None: problems.append(tag + ": body not documented")
    if expect and st != expect: print("NOTE", tag, "expected", expect, j)
    return st, j, hdrs

st, login, h = call("POST", "/api/v1/session", {"username": "boss", "password": "secretpass1"}, expect=200)
cookie = h["Set-Cookie"].split(";")[0].split("=", 1)[1]; csrf = login["csrf_token"]
call("POST", "/api/v1/session", {"username": "boss", "password": "nope12345"}, expect=401)
call("POST", "/api/v1/session", {"username": "boss", "password": "x", "extra": 1}, expect=400)
st, tok, _ = call("POST", "/api/v1/tokens", {"name": "ci"}, cookie=cookie, csrf=csrf, expect=201)
T = tok["token"]
call("POST", "/api/v1/tokens", {"name": "ci"}, cookie=cookie, expect=403)
call("GET", "/api/v1/me", expect=401)
call("GET", "/api/v1/me", token=T, expect=200)
st, team, _ = call("POST", "/api/v1/teams", {"name": "华东"}, token=T, expect=201)
st, team2, _ = call("POST", "/api/v1/teams", {"name": "上海", "parent_id": team["id"]}, token=T, expect=201)
call("GET", "/api/v1/teams", token=T, expect=200)
st, mgr, _ = call("POST", "/api/v1/users", {"username": "mgr", "password": "secretpass1", "role": "manager", "team_id": team["id"]}, token=T, expect=201)
st, rep, _ = call("POST", "/api/v1/users", {"username": "rep1", "display_name": "张三", "password": "secretpass1", "role": "rep", "team_id": team2["id"], "hire_date": "2026-01-05", "selling_style": "driver"}, token=T, expect=201)
call("POST", "/api/v1/users", {"username": "rep1", "password": "secretpass1", "role": "rep"}, token=T, expect=409)
call("PATCH", f"/api/v1/teams/{team['id']}", {"manager_id": mgr["id"], "version": 1}, token=T, expect=200)
call("PATCH", f"/api/v1/teams/{team['id']}", {"parent_id": team2["id"]}, token=T, expect=409)
call("PATCH", "/api/v1/teams/999", {"name": "x"}, token=T, expect=404)
call("GET", f"/api/v1/users?team_id={team2['id']}", token=T, expect=200)
call("GET", "/api/v1/users?bogus=1", token=T, expect=400)
call("GET", f"/api/v1/users/{rep['id']}", token=T, expect=200)
call("GET", "/api/v1/users/abc", token=T, expect=404)
call("PATCH", f"/api/v1/users/{rep['id']}", {"selling_style": "amiable", "version": 1}, token=T, expect=200)
call("PATCH", f"/api/v1/users/{rep['id']}", {"selling_style": "x", "version": 1}, token=T, expect=409)
st, rl, h = call("POST", "/api/v1/session", {"username": "rep1", "password": "secretpass1"}, expect=200)
rc = h["Set-Cookie"].split(";")[0].split("=", 1)[1]; rcsrf = rl["csrf_token"]
st, rt, _ = call("POST", "/api/v1/tokens", {"name": "rep"}, cookie=rc, csrf=rcsrf, expect=201); R = rt["token"]
call("POST", "/api/v1/users", {"username": "x2", "password": "secretpass1", "role": "rep"}, token=R, expect=403)
st, co, _ = call("POST", "/api/v1/companies", {"name": "杭州华强机械", "industry": "机械", "industry_rank": 5, "region": "杭州", "budget_capacity": 5000000, "source": "referral", "competitor": "X"}, token=R, expect=201)
st, co2, _ = call("POST", "/api/v1/companies", {"name": "宁波精工", "owner_id": None}, token=T, expect=201)
call("POST", "/api/v1/companies", {"name": "a", "owner_id": mgr["id"]}, token=R, expect=400)
call("POST", "/api/v1/companies", {"name": "a", "id": 3}, token=R, expect=400)
call("POST", "/api/v1/companies", raw=b"{", token=R, expect=400)
call("GET", "/api/v1/companies?sort=-updated_at&limit=1", token=T, expect=200)
st, pg, _ = call("GET", "/api/v1/companies?sort=name&limit=1", token=T, expect=200)
call("GET", "/api/v1/companies?sort=name&limit=1&cursor=" + pg["next_cursor"], token=T, expect=200)
call("GET", "/api/v1/companies?sort=-name&limit=1&cursor=" + pg["next_cursor"], token=T, expect=400)
call("GET", "/api/v1/companies?sort=bogus", token=T, expect=400)
call("GET", "/api/v1/companies?owner_id=pool&q=%E5%AE%81%E6%B3%A2", token=R, expect=200)
call("GET", f"/api/v1/companies/{co['id']}", token=R, expect=200)
call("GET", "/api/v1/companies/99999", token=R, expect=404)
st, ct, _ = call("POST", f"/api/v1/companies/{co['id']}/contacts", {"name": "王总", "title": "总经理", "is_payer": True, "style": "driver", "phone": "138"}, token=R, expect=201)
call("POST", f"/api/v1/companies/{co2['id']}/contacts", {"name": "李"}, token=R, expect=409)
call("GET", f"/api/v1/companies/{co['id']}/contacts", token=R, expect=200)
call("PATCH", f"/api/v1/contacts/{ct['id']}", {"title": "董事长", "version": 1}, token=R, expect=200)
call("PATCH", f"/api/v1/contacts/{ct['id']}", {"title": "x", "version": 1}, token=R, expect=409)
call("PATCH", "/api/v1/contacts/4242", {"title": "x"}, token=R, expect=404)
st, v1, _ = call("POST", "/api/v1/visits", {"company_id": co["id"], "kind": "visit", "duration_min": 60, "need": True}, token=R, expect=201)
st, v2, _ = call("POST", "/api/v1/visits", {"company_id": co["id"], "at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "kind": "accompanied", "companion_id": mgr["id"], "coaching_stage": 2, "met_payer": True, "budget": True, "location": {"lat": 30.2, "lng": 120.1}}, token=R, expect=201)
print("effective:", v2["effective"], v2["status"], v2["made_effective"])
call("POST", "/api/v1/visits", {"company_id": co["id"], "kind": "call", "coaching_stage": 2}, token=R, expect=400)
call("POST", "/api/v1/visits", {"company_id": co2["id"]}, token=R, expect=409)
call("GET", f"/api/v1/companies/{co['id']}/visits?limit=10", token=R, expect=200)
call("GET", f"/api/v1/companies/{co['id']}/visits?x=1", token=R, expect=400)
st, cc, _ = call("GET", f"/api/v1/companies/{co['id']}", token=R)
call("PATCH", f"/api/v1/companies/{co['id']}", {"version": cc["version"], "need": False}, token=R, expect=400)
call("PATCH", f"/api/v1/companies/{co['id']}", {"version": 1, "region": "x"}, token=R, expect=409)
st, cc, _ = call("PATCH", f"/api/v1/companies/{co['id']}", {"version": cc["version"], "status": "nurture", "nurture_reason": "预算下季度", "revisit_on": "2027-01-10"}, token=R, expect=200)
call("PATCH", f"/api/v1/companies/{co['id']}", {"version": cc["version"], "status": "signed"}, token=R, expect=409)
call("PATCH", f"/api/v1/companies/{co['id']}", {"version": cc["version"], "status": "dropped"}, token=R, expect=400)
st, d, _ = call("POST", "/api/v1/deals", {"company_id": co["id"], "amount": 12000000, "notes": "首单"}, token=R, expect=201)
call("POST", "/api/v1/deals", {"company_id": co["id"], "amount": 0}, token=R, expect=400)
call("GET", f"/api/v1/companies/{co['id']}/deals", token=R, expect=200)
call("DELETE", f"/api/v1/companies/{co['id']}", token=R, expect=409)
st, co3, _ = call("POST", "/api/v1/companies", {"name": "临时公司"}, token=R, expect=201)
call("POST", f"/api/v1/companies/{co2['id']}/claim", token=R, expect=200)
call("POST", f"/api/v1/companies/{co2['id']}/claim", token=R, expect=409)
call("DELETE", f"/api/v1/companies/{co3['id']}", token=R, expect=204)
call("DELETE", f"/api/v1/companies/{co3['id']}", token=R, expect=404)
call("PUT", "/api/v1/targets", {"scope": "rep", "scope_id": rep["id"], "metric": "effective_new", "period": "day", "value": 3, "reason": "新季度"}, token=T, expect=200)
call("PUT", "/api/v1/targets", {"scope": "team", "scope_id": team2["id"], "metric": "signed_amount", "period": "month", "value": 100000000}, token=T, expect=200)
call("PUT", "/api/v1/targets", {"scope": "rep", "scope_id": rep["id"], "metric": "x", "period": "day", "value": 3}, token=T, expect=400)
call("PUT", "/api/v1/targets", {"scope": "rep", "scope_id": rep["id"], "metric": "visits_new", "period": "day", "value": 3}, token=R, expect=403)
call("GET", "/api/v1/targets", token=R, expect=200)
call("GET", "/api/v1/settings", token=R, expect=200)
call("PATCH", "/api/v1/settings", {"quota_visits_new": 4, "holidays": ["2026-10-01"], "working_days": "123456", "new_share_min": 0.75}, token=T, expect=200)
call("PATCH", "/api/v1/settings", {"timezone": "Mars/Base"}, token=T, expect=400)
call("PATCH", "/api/v1/settings", {"version": 1}, token=T, expect=409)
call("PATCH", "/api/v1/settings", {"nurture_cap": 3}, token=R, expect=403)
today = datetime.date.today().isoformat()
call("PUT", f"/api/v1/plans/{today}", {"company_ids": [co["id"]], "goal": "拿下两家", "visits_planned": 5}, token=R, expect=200)
call("PUT", f"/api/v1/plans/{today}", {"version": 7}, token=R, expect=409)
call("PUT", "/api/v1/plans/2026-13-01", {}, token=R, expect=400)
call("GET", f"/api/v1/plans/{today}", token=R, expect=200)
call("GET", f"/api/v1/plans/{today}?rep_id={rep['id']}", token=T, expect=200)
call("GET", "/api/v1/plans/2020-01-01", token=R, expect=404)
call("PUT", f"/api/v1/reviews/{today}", {"wins": "签了一单", "problems": "", "help_wanted": "陪访"}, token=R, expect=200)
call("GET", f"/api/v1/reviews/{today}", token=R, expect=200)
call("GET", "/api/v1/metrics/reps", token=T, expect=200)
call("GET", f"/api/v1/metrics/reps?from=2026-01-01&to={today}&team_id={team['id']}", token=T, expect=200)
call("GET", "/api/v1/metrics/reps?from=2026-05-01&to=2026-04-01", token=T, expect=400)
call("GET", "/api/v1/audit?limit=5", token=T, expect=200)
call("GET", f"/api/v1/audit?entity=company&entity_id={co['id']}", token=R, expect=200)
# method views and people
call("POST", "/api/v1/companies", {"name": "苏州机械四", "industry": "机械", "industry_rank": 4, "budget_capacity": 9000000, "competitor": "Y"}, token=R, expect=201)
call("POST", "/api/v1/companies", {"name": "无锡机械七", "industry": "机械", "industry_rank": 7, "budget_capacity": 2000000, "owner_id": None}, token=T, expect=201)
st, co9, _ = call("POST", "/api/v1/companies", {"name": "常州纺织", "industry": "纺织"}, token=R, expect=201)
for i in range(3): call("POST", "/api/v1/visits", {"company_id": co9["id"], "duration_min": 30}, token=R, expect=201)
st, vx, _ = call("POST", "/api/v1/visits", {"company_id": co9["id"], "met_payer": True, "kind": "call"}, token=R, expect=201)
call("POST", "/api/v1/visits", {"company_id": co9["id"], "met_payer": True}, token=R, expect=201)
call("DELETE", f"/api/v1/visits/{vx['id']}", token=R, expect=204)
call("DELETE", f"/api/v1/visits/{vx['id']}", token=R, expect=404)
call("PATCH", f"/api/v1/settings", {"working_days": "1234567"}, token=T, expect=200)
for path in ["/api/v1/alerts", "/api/v1/prospects", "/api/v1/coaching", "/api/v1/rhythm", "/api/v1/feed",
             "/api/v1/insights/discovery", "/api/v1/insights/conversion", "/api/v1/leaderboard"]:
    call("GET", path, token=R, expect=200)
    call("GET", path, token=T, expect=200)
    call("GET", path + "?bogus=1", token=T, expect=400)
    call("GET", path + "?as_of=2999-01-01", token=T, expect=400)
    call("GET", path + "?team_id=9999", token=T, expect=404)
call("GET", "/api/v1/alerts?kind=find_payer&as_of=" + today, token=T, expect=200)
call("GET", "/api/v1/alerts?kind=nope", token=T, expect=400)
call("GET", f"/api/v1/alerts?rep_id={rep['id']}", token=T, expect=200)
call("GET", "/api/v1/alerts?rep_id=9999", token=T, expect=404)
call("GET", "/api/v1/leaderboard?period=week&metric=conversion", token=T, expect=200)
call("GET", "/api/v1/leaderboard?period=year", token=T, expect=400)
call("GET", "/api/v1/feed?days=40", token=T, expect=400)
call("GET", "/api/v1/insights/conversion?from=2026-05-01&to=2026-04-01", token=T, expect=400)
call("GET", "/api/v1/diagnosis", token=T, expect=200)
call("GET", f"/api/v1/diagnosis?team_id={team['id']}", token=T, expect=200)
call("GET", "/api/v1/diagnosis", token=R, expect=403)
st, board, _ = call("GET", "/api/v1/rhythm", token=T, expect=200)
rid = [x for x in board["items"] if x["review"]][0]["review"]["id"]
st, fd, _ = call("POST", f"/api/v1/feed/review/{rid}/comments", {"body": "好样的"}, token=T, expect=201)
call("POST", f"/api/v1/feed/review/{rid}/comments", {"text": "x"}, token=T, expect=400)
call("POST", f"/api/v1/feed/deal/{d['id']}/like", token=T, expect=200)
call("POST", f"/api/v1/feed/deal/{d['id']}/like", token=R, expect=200)
call("POST", f"/api/v1/feed/bogus/1/like", token=T, expect=404)
call("GET", "/api/v1/feed", token=R, expect=200)
call("GET", f"/api/v1/companies/{co['id']}/fit", token=T, expect=200)
call("GET", f"/api/v1/companies/{co9['id']}/fit", token=R, expect=200)
call("GET", "/api/v1/companies/9999/fit", token=R, expect=404)
vals = {"customer_first": 5, "teamwork": 4, "embrace_change": 3, "integrity": 5, "passion": 4, "dedication": 4}
call("POST", "/api/v1/values", dict(user_id=rep["id"], period="2026-Q4", comment="稳", **vals), token=T, expect=201)
call("POST", "/api/v1/values", dict(user_id=rep["id"], period="2026-Q4", **dict(vals, passion=6)), token=T, expect=400)
call("POST", "/api/v1/values", dict(user_id=rep["id"], period="2026-Q4", **vals), token=R, expect=403)
call("GET", f"/api/v1/values?user_id={rep['id']}", token=T, expect=200)
call("GET", "/api/v1/values", token=R, expect=200)
call("GET", "/api/v1/values?user_id=9999", token=T, expect=404)
call("POST", "/api/v1/training", {"user_id": rep["id"], "kind": "skills", "title": "SPIN 提问", "hours": 2.5, "notes": "陪访后"}, token=T, expect=201)
call("POST", "/api/v1/training", {"user_id": rep["id"], "kind": "yoga", "title": "x"}, token=T, expect=400)
call("GET", "/api/v1/training", token=T, expect=200)
call("GET", f"/api/v1/training?user_id={rep['id']}", token=R, expect=200)
call("GET", "/api/v1/talent", token=T, expect=200)
call("GET", "/api/v1/talent", token=R, expect=403)
call("PATCH", f"/api/v1/users/{rep['id']}", {"active": False}, token=T, expect=200)
call("GET", "/api/v1/me", token=R, expect=401)
call("DELETE", "/api/v1/session", cookie=cookie, csrf=csrf, expect=204)
ops = {(m.upper(), p) for p, it in doc["paths"].items() for m in it}
for m, p in sorted(ops - seen): print("not exercised:", m, p)
print("\n".join(problems) or "no problems"); print(len(problems), "problems")
