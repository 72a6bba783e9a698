#!/usr/bin/env python3
"""Generates docs/openapi.json from the route table and the schemas below: python3 scripts/openapi/gen_openapi.py docs/openapi.json"""
import json, sys, os as _os

def ref(n): return {"$ref": "#/components/schemas/" + n}
def S(desc=None, mx=None, **kw):
    d = {"type": "string"}
    if mx: d["maxLength"] = mx
    if desc: d["description"] = desc
    d.update(kw); return d
def I(desc=None, lo=None, hi=None, **kw):
    # int64 where it matters: ids and money (fen); small counts and ranges stay plain integers
    d = {"type": "integer"}
    if (desc and "fen" in desc) or hi == BIG: d["format"] = "int64"
    if lo is not None: d["minimum"] = lo
    if hi is not None: d["maximum"] = hi
    if desc: d["description"] = desc
    d.update(kw); return d
def B(desc=None, **kw):
    d = {"type": "boolean"}
    if desc: d["description"] = desc
    d.update(kw); return d
def N(d): d = dict(d); d["nullable"] = True; return d
def DATE(desc=None, **kw): return S(desc, format="date", example="2026-11-27", **kw)
def TIME(desc=None, **kw): return S(desc, format="date-time", example="2026-11-27T10:30:00+08:00", **kw)
ID = lambda desc=None: I(desc, 1, format="int64")
FEN = "Integer number of fen (分, 1/100 yuan)."
def obj(props, required=(), desc=None, closed=False):
    d = {"type": "object"}
    if desc: d["description"] = desc
    if required: d["required"] = list(required)
    d["properties"] = props
    if closed: d["additionalProperties"] = False
    return d
def listof(item, desc=None, extra=None):
    props = {"items": {"type": "array", "items": ref(item)},
             "next_cursor": N(S("Opaque cursor for the next page; null on the last page."))}
    if extra: props.update(extra)
    return obj(props, ["items", "next_cursor"], desc or f"A page of {item} records.")

MAX_ID = 9223372036854775807
BIG = 1000000000000000

# ---------------------------------------------------------------- schemas
STATUS_DESC = (
    "Lifecycle (SPEC §3): `prospect` 线索 (no visit yet) → `contacted` 已拜访 (at least one visit) → "
    "`effective` 有效 (need, budget and payer met all confirmed) → `signed` 已签 (first deal recorded). "
    "Side states: `nurture` 培养 (parked with `nurture_reason` and `revisit_on`, at most `nurture_cap` per rep) and "
    "`dropped` 放弃 (with `drop_reason`; the owner is removed and the company goes to the public pool 公海). "
    "The forward statuses are derived from facts: only visits move prospect/contacted/effective, only a deal makes "
    "`signed`. Manual changes (PATCH `status`) allow: any unsigned, non-dropped status → `nurture` or `dropped`; "
    "`nurture` → the status its facts imply (`prospect`, `contacted` or `effective`). A signed company cannot change "
    "status; a dropped one must be claimed first.")
QUAL_DESC = (
    "Effective new customer 有效新客户 = need + budget + payer met. Each visit may set `need` and `budget` (true or "
    "false, replacing the previous value) and `met_payer` (once true, `payer_met` stays true). A *new* company (no "
    "signed deal yet) becomes effective the first time all three facts hold: `effective_at` is that visit's time and "
    "`effective_by` the rep who logged it (that rep is credited with the effective new customer). A nurtured "
    "company that qualifies leaves nurture and becomes `effective`. A company is *new* until its first signed deal "
    "and *existing* 老客户 afterwards.")

schemas = {}
STYLES = ["", "driver", "analytical", "amiable", "expressive"]
STYLE_DESC = ("One style vocabulary for reps and buyers: `driver` 支配型, `analytical` 分析型, `amiable` 友善型, `expressive` 表现型, or empty. On input the Chinese name is accepted for the key; anything else is 400 unknown_style.")
INDUSTRY_DESC = ("One of the organisation's industries (settings `industries`) or empty; on input an alias is mapped to its "
                 "name, and an unknown industry is 400 unknown_industry whose message lists the nearest names.")
schemas["Error"] = obj({"error": obj({
    "code": S("Stable snake_case key, e.g. `invalid_field`, `unknown_field`, `forbidden_field`, `unknown_parameter`, "
              "`invalid_query`, `invalid_json`, `invalid_body`, `unauthorized`, `csrf`, `forbidden`, `not_found`, "
              "`stale_version`, `illegal_transition`, `nurture_cap_reached`, `too_many_attempts`."),
    "message": S("Human-readable explanation; for field errors it starts with the field name.")},
    ["code", "message"])}, ["error"],
    "Every error answer: a 4xx status with this body (bad input never yields a 5xx).")
ROLE = S("Role: `rep` 销售, `manager` 主管, `director` 总监, `admin`.", enum=["rep", "manager", "director", "admin"])
schemas["User"] = obj({
    "id": ID(), "username": S(mx=64), "display_name": S(mx=100), "role": ROLE,
    "team_id": N(ID()), "hire_date": N(DATE("Hire date YYYY-MM-DD (tenure < 90 days counts as a new hire).")),
    "selling_style": S("The rep's selling style (used for rep–buyer fit). " + STYLE_DESC, 50, enum=STYLES),
    "active": B("False once deactivated: sessions and tokens end at once and login is refused."),
    "version": I("Optimistic-concurrency version; send it back in PATCH to detect concurrent changes.", 1)},
    ["id", "username", "display_name", "role", "team_id", "hire_date", "selling_style", "active", "version"], "A user of the organisation.")
schemas["Me"] = {"allOf": [ref("User"), obj({
    "org": obj({"id": ID(), "name": S()}, ["id", "name"]),
    "timezone": S("The organisation's IANA time zone; times are shown in it.", example="Asia/Shanghai"),
    "must_change_password": B("True after an admin's reset until the user sets a new password (POST /api/v1/me/password).")},
    ["org", "timezone", "must_change_password"])], "description": "The calling user, with their organisation and its time zone."}
schemas["Team"] = obj({"id": ID(), "name": S(mx=100), "parent_id": N(ID("Parent team; null for a top-level team (teams form a tree).")),
    "manager_id": N(ID("The manager 主管 of the team (role manager, director or admin).")), "version": I(None, 1)},
    ["id", "name", "parent_id", "manager_id", "version"], "A team; teams form a tree. A manager sees the subtrees of the teams they manage.")
schemas["Company"] = obj({
    "id": ID(), "name": S(mx=200), "industry": S(INDUSTRY_DESC, 50), "industry_rank": N(I("Rank in its industry (1 = leader).", 1, 1000000)),
    "region": S(mx=50), "budget_capacity": N(I("What the company can pay for one order. " + FEN, 0, BIG)),
    "source": S("Lead source, e.g. ad, referral, competitor, exhibition, cold.", 50),
    "competitor": S("Competitor product in use (customers of competitors are good prospects).", 100),
    "owner_id": N(ID("The owning rep; null = in the public pool 公海 where any rep may claim it.")),
    "status": S(STATUS_DESC, enum=["prospect", "contacted", "effective", "signed", "nurture", "dropped"]),
    "is_new": B("True until the first signed deal (new customer); false = existing customer 老客户."),
    "effective": B("True when the company is an effective new customer 有效新客户: new and qualified (`effective_at` set)."),
    "need": B("Qualification fact: has a need (set by visits only)."),
    "budget": B("Qualification fact: has a budget (set by visits only)."),
    "payer_met": B("Qualification fact: the payer 买单人 was met (set by visits only; never reverts)."),
    "effective_at": N(TIME("First moment need, budget and payer met all held (the visit's time).")),
    "effective_by": N(ID("The rep credited with the effective new customer (who logged the qualifying visit).")),
    "signed_at": N(TIME("When the first deal was recorded.")),
    "first_visit_at": N(TIME()), "last_visit_at": N(TIME()), "visit_count": I(None, 0),
    "interest_reason": S("Why they are interested (ad, referral, a competitor's success, …); last non-empty value from a visit."),
    "attraction": S("What attracts them; from visits."), "concerns": S("What worries them; from visits."),
    "nurture_reason": N(S("Why the company is parked (status nurture).")),
    "revisit_on": N(DATE("When to come back to a nurtured company; due dates raise alerts.")),
    "drop_reason": N(S("Why it was dropped (status dropped).")),
    "version": I("Optimistic-concurrency version; PATCH must send it (a stale one gets 409 stale_version).", 1),
    "created_at": TIME(), "updated_at": TIME()},
    ["id", "name", "industry", "industry_rank", "region", "budget_capacity", "source", "competitor", "owner_id", "status",
     "is_new", "effective", "need", "budget", "payer_met", "effective_at", "effective_by", "signed_at", "first_visit_at",
     "last_visit_at", "visit_count", "interest_reason", "attraction", "concerns", "nurture_reason", "revisit_on",
     "drop_reason", "version", "created_at", "updated_at"],
    "A customer account. Times are ISO 8601 in the organisation's time zone (with offset). " + QUAL_DESC)
# Harvest (让竞争对手去培养，时机成熟再收割)
CONTRACT_END = N(DATE("When the company's contract with its `competitor` ends (harvest): from `harvest_window_days` before it, "
                      "the company is a prospect of its owner (or of the pool) and the owner gets the `harvest_window` alert. "
                      "null = unknown."))
schemas["Company"]["properties"]["competitor_contract_end"] = CONTRACT_END
schemas["Company"]["required"].append("competitor_contract_end")
# Where the company is (migration 0019): a visit's check-in is measured from it (Visit.distance_m).
PLACE = N(obj({"lat": {"type": "number", "minimum": -90, "maximum": 90}, "lng": {"type": "number", "minimum": -180, "maximum": 180}},
              ["lat", "lng"], "Where the company is (WGS-84), when known; null = unknown (on input: clears it)."))
schemas["Company"]["properties"]["address"] = S("Street address, as people write it (empty: unknown).", 200)
schemas["Company"]["properties"]["location"] = PLACE
schemas["Company"]["required"] += ["address", "location"]
schemas["Company"]["properties"]["call"] = N(obj({"name": S(), "phone": S(), "is_payer": B()}, ["name", "phone", "is_payer"],
    "On GET /api/v1/companies only: whom to call (tap-to-call), the payer's phone first, else the first contact with a phone; null: no phone."))
schemas["CompanyDetail"] = {"allOf": [ref("Company"), obj({"contacts": {"type": "array", "items": ref("Contact")}}, ["contacts"])],
                            "description": "A company with its contacts."}
schemas["RepFit"] = obj({
    "payer_style": N(S("The payer's style; null when no payer style is recorded.", enum=STYLES[1:])),
    "payer_style_name": N(S("The style's name in the caller's language (支配型 …).")),
    "level": S("`good`: the rep's record with payers of this style beats their own average (or, with no record, the payer "
               "shares the rep's style: pick the buyers whose style fits yours); `poor`: more than 10 points below it; "
               "`fair` otherwise; `unknown`: no payer style.", enum=["good", "fair", "poor", "unknown"]),
    "win_rate": N({"type": "number", "description": "Smoothed win rate (wins + 2·prior) / (trials + 2) with payers of this style."}),
    "trials": I("The rep's effective customers with a payer of this style."), "wins": I("Of those, signed."),
    "prior": {"type": "number", "description": "The rep's own win rate over all payers (0.3 with no record)."},
    "same_style": B("The payer's style is the rep's selling style.")},
    ["payer_style", "level", "win_rate", "trials", "wins", "prior", "same_style"],
    "Rep–buyer fit of the asking rep with this buyer (SPEC §3): on the rep's prospects and on the companies they own "
    "(list and detail carry `fit` for those).")
# Present only on the companies the caller owns (list and detail), hence not required.
schemas["Company"]["properties"]["fit"] = ref("RepFit")
schemas["Contact"] = obj({"id": ID(), "company_id": ID(), "name": S(mx=100), "title": S(mx=100),
    "is_payer": B("This person signs (买单人); spend effort on them."),
    "style": S("Leadership style of the buyer (for rep–buyer fit). " + STYLE_DESC, 50, enum=STYLES), "phone": S(mx=50), "version": I(None, 1)},
    ["id", "company_id", "name", "title", "is_payer", "style", "phone", "version"], "A person at a company.")
OB = lambda d: N(B(d))
schemas["Visit"] = obj({
    "id": ID(), "company_id": ID(), "rep_id": ID("The rep who logged the visit."),
    "at": TIME("When it happened, in the organisation's zone."), "day": DATE("Local date of `at` in the organisation's zone."),
    "kind": S("`visit` in person, `call`, or `accompanied` 陪访 (a manager came along).", enum=["visit", "call", "accompanied"]),
    "duration_min": N(I("Minutes; weights the 80/20 new-customer share.", 1, 1440)),
    "was_new": B("The company was a new customer (not yet signed) at the time of the visit."),
    "met_payer": OB("The payer was met; null = not recorded."), "need": OB("Need confirmed (true) or ruled out (false); null = unchanged."),
    "budget": OB("Budget confirmed (true) or ruled out (false); null = unchanged."),
    "made_effective": B("This visit made the company an effective new customer 有效新客户."),
    "companion_id": N(ID("The accompanying manager (accompanied visits).")),
    "coaching_stage": N(I("16-character rule stage (accompanied visits): 1 我做你看 I do, you watch; 2 我说你听 I say, you listen; "
                          "3 你做我看 you do, I watch; 4 你说我听 you say, I listen.", 1, 4)),
    "interest_reason": S(), "attraction": S(), "concerns": S(), "notes": S(),
    "location": N(obj({"lat": {"type": "number"}, "lng": {"type": "number"}}, ["lat", "lng"], "Check-in location, if the browser gave one.")),
    "distance_m": N(I("Metres from the check-in `location` to the company's `location` (great circle), when both are known; "
                      "else null. On a company's visit list and views; absent from other answers.", 0))},
    ["id", "company_id", "rep_id", "at", "day", "kind", "duration_min", "was_new", "met_payer", "need", "budget",
     "made_effective", "companion_id", "coaching_stage", "interest_reason", "attraction", "concerns", "notes", "location"],
    "An activity with a company: in-person visit, call or accompanied visit.")
schemas["VisitCreated"] = {"allOf": [ref("Visit"), obj({
    "status": S("The company's status after this visit.", enum=["prospect", "contacted", "effective", "signed", "nurture", "dropped"]),
    "effective": B("The company is now an effective new customer."),
    "company": ref("Company")}, ["status", "effective", "company"])],
    "description": "The logged visit, with the company's new status, its `effective` flag and the whole updated company."}
schemas["Deal"] = obj({"id": ID(), "company_id": ID(), "rep_id": ID("The company's owner, credited with the deal."),
    "amount": I("Order amount. " + FEN, 1, BIG), "signed_on": DATE("Signing date in the organisation's zone."),
    "notes": S("Free-text notes.")},
    ["id", "company_id", "rep_id", "amount", "signed_on", "notes"], "A signed order.")
schemas["DealCreated"] = {"allOf": [ref("Deal"), obj({"company": ref("Company")}, ["company"])],
    "description": "The recorded deal with the updated company (now `signed`)."}
schemas["Target"] = obj({"id": ID(), "scope": S(enum=["rep", "team"]), "scope_id": ID("The rep's or team's id."),
    "metric": S("`visits_new` (new-customer visits), `effective_new` (effective new customers 有效新客户) or `signed_amount`.",
                enum=["visits_new", "effective_new", "signed_amount"]),
    "period": S(enum=["day", "month"]),
    "value": I("Target value per period; for `signed_amount` an integer number of fen (分).", 0, BIG),
    "reason": S("Why it was set or changed (kept in the change history).", 500),
    "set_by": N(ID("Who set it last.")), "version": I(None, 1)},
    ["id", "scope", "scope_id", "metric", "period", "value", "reason", "set_by", "version"],
    "A quota 指标 for a rep or a team. A rep's daily quota is their own target if set, else their team's, else the organisation default.")
schemas["TargetChange"] = obj({"old_value": N(I(None, 0, BIG)), "new_value": I(None, 0, BIG), "reason": S(),
    "set_by": N(ID()), "at": TIME()}, ["old_value", "new_value", "reason", "set_by", "at"], "One change of a target.")
schemas["TargetWithHistory"] = {"allOf": [ref("Target"), obj({"history": {"type": "array", "items": ref("TargetChange")}}, ["history"])]}
schemas["TargetWithHistoryList"] = obj({"items": {"type": "array", "items": ref("TargetWithHistory")},
    "next_cursor": N(S())}, ["items", "next_cursor"])
SETTINGS_PROPS = {
    "timezone": S("IANA time zone of the organisation (default Asia/Shanghai).", 64, example="Asia/Shanghai"),
    "min_order_value": I("Minimum order value: prospects need budget_capacity at least this. " + FEN + " Default 1000000 (10,000 yuan).", 0, BIG),
    "quota_visits_new": I("Default daily quota of new-customer visits per rep (default 5).", 0, 100),
    "quota_effective_new": I("Default daily quota of effective new customers 有效新客户 per rep (default 2).", 0, 100),
    "new_share_min": {"type": "number", "minimum": 0, "maximum": 1, "description": "80/20 rule: minimum share of visit time on new customers (default 0.8)."},
    "nurture_cap": I("Maximum nurtured 培养 companies per rep (default 5).", 0, 1000),
    "pool_release_days": I("An owned company with no visit for this many days is released to the pool (default 30).", 1, 3650),
    "session_idle_minutes": I("Idle time after which a session ends (default 720).", 5, 43200),
    "working_days": S("ISO weekdays that are working days, digits 1 (Monday) to 7 (Sunday); default `12345`.", 7, pattern="^[1-7]{1,7}$"),
    "holidays": {"type": "array", "maxItems": 400, "items": DATE(), "description": "Non-working dates."},
}
# The method's parameter set (src/method/params.h, migration 0009); tests/unit/openapi_test.cpp checks
# that every entry of method::param_specs() is here with the same range.
def SHARE(desc): return {"type": "number", "minimum": 0, "maximum": 1, "description": desc}
def HHMM(desc): return S(desc, 5, pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$", example="09:30")
SETTINGS_PROPS.update({
    "calls_count_as_visits": B("A `call` counts towards `visits_new` (default false: only distinct new companies met in person, by `visit` or `accompanied`)."),
    "pool_warn_days": I("The owner is warned (`pool_release_soon`) this many days before a release (default 3; less than pool_release_days).", 0, 365),
    "claim_daily_max": I("Most public-pool claims per rep per day (default 10).", 0, 10000),
    "owned_max": I("Most unsigned companies a rep may own (default 300).", 0, 1000000),
    "reclaim_cooldown_days": I("Days before a rep may reclaim a company they dropped or lost to the pool (default 7).", 0, 365),
    "time_sink_age_days": I("Time sink `time_sink_last_month`: an unsigned company first visited at least this many days before as_of (default 30)...", 1, 3650),
    "time_sink_window_days": I("... that got `time_sink_visits` visits within this rolling window of days up to as_of (default 30).", 1, 365),
    "time_sink_visits": I("... at least this many visits in the window (default 2).", 1, 1000),
    "sign_or_drop_visits": I("Time sink `sign_or_drop`: an unsigned company with this many visits that met the payer (default 2).", 1, 1000),
    "not_effective_visits": I("Time sinks `not_effective` / `find_payer`: this many visits while need, budget or payer is still missing (default 3).", 1, 1000),
    "prospect_rank_window": I("Prospects: candidates within this many ranks of a signed customer of the same industry (default 2).", 0, 100),
    "harvest_window_days": I("Harvest: a company is a prospect, and its owner alerted (`harvest_window`), from this many days before its `competitor_contract_end` (default 60).", 1, 3650),
    "diagnosis_share": SHARE("Diagnosis: a measure fails below this share of the previous period's (source) or of the veterans' (people) (default 0.8)."),
    "diagnosis_window_days": I("Diagnosis, source layer: the last N days against the N before (default 30).", 1, 365),
    "quota_adjust_days": I("Diagnosis, people and system layers: the last N working days (default 20).", 1, 250),
    "quota_adjust_share": SHARE("Quota adjustment 取中间值: share of reps that must reach the quota on their median day (default 0.8)."),
    "new_hire_days": I("Tenure in days below which a rep is a new hire (default 90).", 0, 3650),
    "coaching_enter_days": I("Consecutive finished working days below quota that put a rep into coaching (default 3).", 1, 60),
    "coaching_leave_days": I("Consecutive finished working days on quota that end coaching (default 3).", 1, 60),
    "coaching_window_days": I("Working days the coaching loop looks back over (default 40; at least coaching_enter_days).", 1, 250),
    "coaching_compare_days": I("Coaching, \"does it work\": attainment since entry is compared with this many working days before it (default 10).", 1, 250),
    "talent_window_days": I("Talent matrix: performance is quota attainment over this many working days up to as_of (default 60).", 5, 250),
    "visit_minutes": I("80/20: the minutes a visit or accompanied visit logged without a duration weighs (default 60).", 1, 1440),
    "call_minutes": I("80/20: the minutes a call logged without a duration weighs (default 15).", 1, 1440),
    "pace_alert_share": SHARE("`behind_pace`: a monthly target whose attainment is below this share of its pace (default 0.8)."),
    "pace_grace_days": I("`behind_pace` is not raised in the month's first N working days (default 5).", 0, 31),
    "plan_remind_at": HHMM("Local time of the morning plan reminder (default 09:30)."),
    "review_remind_at": HHMM("Local time of the evening review reminder (default 19:00)."),
})
SETTINGS_PROPS["pool_release_days"] = I("An owned, unsigned company is released to the public pool this many days after the latest of its last visit, its claim and its assignment (default 30).", 1, 3650)
INDUSTRY_ITEM = obj({"name": S("The industry's name, as companies carry it.", 50, minLength=1),
                      "aliases": {"type": "array", "maxItems": 50, "items": S(mx=50, minLength=1),
                                  "description": "Other ways people write it (制造业 → 制造, IT → 互联网, Manufacturing → 制造); mapped to the name on every write and import."}},
                     ["name", "aliases"], closed=True)
SETTINGS_PROPS["industries"] = {"type": "array", "maxItems": 200, "items": INDUSTRY_ITEM,
    "description": "The organisation's managed industry list (a new organisation starts with the standard list of SPEC §3). "
                   "Names and aliases are unique (ASCII case and spaces aside). PATCH replaces the whole list; a name that "
                   "leaves the list while companies carry it must become an alias of another name (its companies move there, "
                   "audited as merge_industry), else 409 industry_in_use."}
schemas["Settings"] = obj(dict(SETTINGS_PROPS, version=I(None, 1),
                               vocabulary_report={"type": "array", "description": "Admins only: what migration 0011 did to data stored before the vocabularies: "
                                                  "industries mapped to the list (`mapped`) or added to it (`added`), styles mapped or cleared (`cleared`).",
                                                  "items": obj({"field": S(enum=["industry", "selling_style", "contact_style"]), "value": S("The stored value."),
                                                                "mapped_to": S("What it became (empty: cleared)."), "action": S(enum=["mapped", "added", "cleared"]),
                                                                "count": I("Rows changed.")}, ["field", "value", "mapped_to", "action", "count"])}),
                          list(SETTINGS_PROPS) + ["version"],
                          "Per-organisation settings: every number of the method is one of these.")
PLAN_PROPS = {"company_ids": {"type": "array", "maxItems": 50, "items": ID(), "description": "Companies the rep plans to visit."},
              "goal": S("The day's goal.", 1000), "visits_planned": N(I(None, 0, 100)), "notes": S(mx=5000)}
NOTE_META = {"rep_id": ID(), "date": DATE(), "version": I(None, 1)}
schemas["Plan"] = obj(dict(PLAN_PROPS, **NOTE_META), list(PLAN_PROPS) + list(NOTE_META),
                      "A rep's morning plan 早启动 for a day.")
REVIEW_PROPS = {"wins": S(mx=5000), "problems": S(mx=5000), "help_wanted": S(mx=5000), "notes": S(mx=5000)}
schemas["Review"] = obj(dict(REVIEW_PROPS, **NOTE_META, results=obj({
    "visits": I(), "visits_new": I(), "effective_new": I(), "deals": I(), "signed_amount": I(FEN)},
    ["visits", "visits_new", "effective_new", "deals", "signed_amount"],
    "The day's actual results, computed from visits and deals (GET only).")),
    list(REVIEW_PROPS) + list(NOTE_META), "A rep's evening share 晚分享 for a day.")
R = lambda d: N({"type": "number", "description": d})
schemas["RepMetrics"] = obj({
    "rep_id": ID(), "display_name": S(), "team_id": N(ID()), "active": B(),
    "visits": I("All visits in the range."), "visits_new": I("Visits to new customers."),
    "effective_new": I("Effective new customers 有效新客户 credited to the rep."),
    "deals": I(), "signed_amount": I("Signed amount. " + FEN),
    "new_share": R("80/20: share of visit time (weighted by duration when logged) on new customers; null without visits."),
    "quota_effective_new": I("Effective-new quota over the range's working days."),
    "quota_visits_new": I("New-visit quota over the range's working days."),
    "attainment": R("effective_new / quota_effective_new; null when the quota is 0."),
    "attainment_visits": R("visits_new / quota_visits_new; null when the quota is 0.")},
    ["rep_id", "display_name", "team_id", "active", "visits", "visits_new", "effective_new", "deals", "signed_amount",
     "new_share", "quota_effective_new", "quota_visits_new", "attainment", "attainment_visits"],
    "One rep's numbers over a date range.")
schemas["AuditEntry"] = obj({"id": ID(), "at": TIME(), "user_id": N(ID("Who acted.")),
    "action": S("e.g. create, update, delete, status, claim, visit, sign, login, logout."),
    "entity": S("e.g. company, contact, visit, deal, user, team, target, settings, plan, review, token, session, org."),
    "entity_id": N(ID()), "old": N(obj({}, desc="The record before (JSON), or null.")), "new": N(obj({}, desc="The record after (JSON), or null."))},
    ["id", "at", "user_id", "action", "entity", "entity_id", "old", "new"], "One audited change.")
schemas["LoginResponse"] = obj({"user": ref("User"), "csrf_token": S("Send as header X-CSRF-Token on cookie-authenticated writes."),
                               "must_change_password": B("True after an admin reset the password: every call but GET /api/v1/me, "
                                                         "POST /api/v1/me/password and DELETE /api/v1/session answers 403 "
                                                         "password_change_required until the user sets a new one.")},
                               ["user", "csrf_token", "must_change_password"])
schemas["TokenInfo"] = obj({"id": ID(), "user_id": ID("The token's owner."), "name": S(mx=100),
                            "created_at": TIME(), "last_used": N(TIME())}, ["id", "user_id", "name", "created_at", "last_used"],
                           "A bearer token, without its secret.")
schemas["TokenInfoList"] = listof("TokenInfo")
schemas["Token"] = obj({"id": ID(), "name": S(), "token": S("The bearer token (`tj_…`); shown only once. Use `Authorization: Bearer <token>`.")},
                       ["id", "name", "token"])
for n in ["Team", "User", "Company", "Contact", "Visit", "Deal", "Target", "AuditEntry"]:
    schemas[n + "List"] = listof(n)
schemas["RepMetricsList"] = listof("RepMetrics", extra={"range": obj({"from": DATE(), "to": DATE(),
    "working_days": I("Working days in the range (settings working_days minus holidays)."), "timezone": S()},
    ["from", "to", "working_days", "timezone"])})
schemas["RepMetricsList"]["required"].append("range")

# ---------------------------------------------------------------- operations
paths = {}
COMMON_400 = ["invalid_query"]
BODY_400 = ["invalid_json", "invalid_body", "unknown_field", "forbidden_field", "invalid_field", "unsupported_media_type"]
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def ok(desc, schema=None, headers=None):
    r = {"description": desc}
    if schema: r["content"] = {"application/json": {"schema": schema}}
    if headers: r["headers"] = headers
    return r

READ_SEC = [{"cookieAuth": []}, {"bearerAuth": []}]
WRITE_SEC = [{"cookieAuth": [], "csrfHeader": []}, {"bearerAuth": []}]

def P(name, where, schema, desc, required=False):
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema, "description": desc}
ID_PATH = lambda what: P("id", "path", ID(), f"The {what}'s id (an id outside your scope answers 404).")
DATE_PATH = P("date", "path", DATE(), "The day, YYYY-MM-DD (a malformed date is 400 invalid_date).")
LIMIT = lambda lo, hi, dflt: P("limit", "query", I(None, lo, hi, default=dflt), f"Page size, {lo}–{hi} (default {dflt}).")
CURSOR = P("cursor", "query", S(), "Opaque `next_cursor` from the previous page.")

def op(method, path, tag, summary, desc=None, ok_status="200", ok_resp=None, params=(), body=None, body_required=True,
       e400=(), e404=None, e403=None, e409=(), auth=True, extra_resp=None, strict_query=False):
    o = {"tags": [tag], "summary": summary, "operationId": None}
    if desc: o["description"] = desc
    if params: o["parameters"] = list(params)
    write = method != "get"
    if body is not None:
        o["requestBody"] = {"required": body_required, "content": {"application/json": {"schema": body}}}
    resp = {ok_status: ok_resp}
    e = list(COMMON_400)
    if strict_query: e.append("unknown_parameter")
    if body is not None: e += BODY_400
    e += list(e400)
    resp["400"] = err("; ".join(e) + ".")
    if auth:
        resp["401"] = {"$ref": "#/components/responses/Unauthorized"}
        if e403: resp["403"] = err("Forbidden: " + e403 + (" (or csrf: a cookie-authenticated write without a valid X-CSRF-Token header)" if write else "") + ".")
        elif write: resp["403"] = {"$ref": "#/components/responses/CsrfForbidden"}
    elif e403:
        resp["403"] = err("Forbidden: " + e403 + ".")
    if e404: resp["404"] = err("not_found: " + e404 + ".")
    if e409: resp["409"] = err("Conflict: " + "; ".join(e409) + ".")
    if body is not None: resp["413"] = {"$ref": "#/components/responses/TooLarge"}
    if body is not None: resp["415"] = {"$ref": "#/components/responses/UnsupportedMediaType"}
    if extra_resp: resp.update(extra_resp)
    resp.setdefault("503", {"$ref": "#/components/responses/Unavailable"})
    o["responses"] = resp
    o["security"] = (WRITE_SEC if write else READ_SEC) if auth else []
    paths.setdefault(path, {})[method] = o
    return o

def body(props, required=(), desc=None):
    return obj(props, required, desc, closed=True)

STALE = "stale_version (`version` differs from the stored one: reload and retry)"

# auth
op("post", "/api/v1/session", "auth", "Log in (start a session)",
   "Checks the password (argon2id) and sets the session cookie `tj_session` (HttpOnly, SameSite=Lax, 30 days absolute, "
   "ends after `session_idle_minutes` idle). Keep the returned `csrf_token`: cookie-authenticated writes must send it "
   "as the X-CSRF-Token header. After 10 failed logins for an account within 15 minutes further attempts get 429.",
   ok_resp=ok("Logged in.", ref("LoginResponse"), {"Set-Cookie": {"description": "`tj_session=…; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`", "schema": S()}}),
   body=body({"username": S(mx=100), "password": S(mx=200, format="password")}, ["username", "password"]),
   auth=False,
   extra_resp={"401": err("unauthorized: wrong username or password, or the account is inactive."),
               "403": err("cross_site: the request came from another site (Sec-Fetch-Site: cross-site, or an Origin that is not this host)."),
               "429": {"description": "too_many_attempts: too many failed logins for this account, or from this client address; retry after 15 minutes.",
                       "headers": {"Retry-After": {"description": "Seconds to wait (900).", "schema": I()}},
                       "content": {"application/json": {"schema": ref("Error")}}}})
schemas["SessionInfo"] = obj({"csrf_token": S("The session's CSRF token (the one POST /api/v1/session gave): send it as header "
                                               "X-CSRF-Token on cookie-authenticated writes."),
                              "me": ref("Me")}, ["csrf_token", "me"],
                             "The current cookie session: its CSRF token and the calling user.")
op("get", "/api/v1/session", "auth", "The current session (its CSRF token)",
   "For a new tab or a reopened app whose session cookie is still valid: answers the session's CSRF token and the "
   "calling user, so the UI needs no second login. Only with the session cookie (a bearer caller gets 400 no_session) "
   "and only to the site's own pages: a request marked `Sec-Fetch-Site` other than `same-origin`/`none`, or with an "
   "`Origin` that is not this host, gets 403 cross_site. The answer carries no CORS header, so no other origin can read "
   "it (docs/security.md). Allowed while a password change is due. A request with no credentials at all (no session "
   "cookie, no Authorization header) gets 204: there is no session, and the client shows its login form; a cookie or "
   "token that is sent but not valid gets 401.",
   ok_resp=ok("The session.", ref("SessionInfo")),
   e400=["no_session (called with a bearer token)"],
   extra_resp={"204": {"description": "No session: the request carried no session cookie and no token."},
               "403": err("cross_site: the request came from another site or origin.")})
op("delete", "/api/v1/session", "auth", "Log out (end the session)",
   "Ends the current session and clears the cookie. With a bearer token it does nothing but audit.",
   ok_status="204", ok_resp=ok("Logged out.", headers={"Set-Cookie": {"description": "Clears `tj_session`.", "schema": S()}}))
op("post", "/api/v1/tokens", "auth", "Create an API token (bearer)",
   "Creates a bearer token for scripts, owned by the caller with the caller's rights. The token is shown only in this "
   "answer. Bearer calls need no CSRF header.",
   ok_status="201", ok_resp=ok("Created.", ref("Token")), body=body({"name": S("A label for the token.", 100)}, ["name"]))
op("get", "/api/v1/me", "auth", "The calling user", ok_resp=ok("The user.", ref("Me")))
# issue 17, point 8: the forced password change and token management
op("post", "/api/v1/me/password", "auth", "Change one's own password",
   "Needs the current password. Clears a forced change (`must_change_password` after an admin's reset), ends the "
   "caller's other sessions and keeps this one and the bearer tokens. The only write allowed while a change is due.",
   ok_resp=ok("The user.", ref("User")),
   body=body({"current_password": S(mx=200, format="password"),
              "new_password": S("At least 8 characters, different from the current one.", 200, minLength=8, format="password")},
             ["current_password", "new_password"]),
   e400=["invalid_field new_password (short, or equal to the current one)"], e403="wrong_password: the current password is wrong",
   e409=[STALE])
op("get", "/api/v1/tokens", "auth", "List API tokens",
   "The caller's own bearer tokens (never their secrets); an admin's list holds every token of the organisation. "
   "One page; `next_cursor` is always null.",
   params=[P("user_id", "query", ID(), "Only this user's tokens (admins; for others only their own id is accepted).")],
   ok_resp=ok("Tokens.", ref("TokenInfoList")), strict_query=True, e400=["invalid_field user_id"],
   e404="user_id of someone else (non-admins)")
op("delete", "/api/v1/tokens/{id}", "auth", "Revoke an API token",
   "Ends a bearer token at once: one's own, or (admins) any of the organisation.",
   params=[ID_PATH("token")], ok_status="204", ok_resp=ok("Revoked."), e404="no such token of yours")

# teams
op("get", "/api/v1/teams", "teams", "List teams",
   "All teams of the organisation (the tree is small, so one page; `next_cursor` is always null).",
   ok_resp=ok("Teams.", ref("TeamList")))
op("post", "/api/v1/teams", "teams", "Create a team",
   "Directors and admins only. A director must give `parent_id`, a team within their own subtree. The manager must "
   "have the manager, director or admin role and be within the caller's scope.",
   ok_status="201", ok_resp=ok("Created.", ref("Team")),
   body=body({"name": S(mx=100), "parent_id": N(ID("Parent team (in your scope); omit or null for a top-level team (admins).")),
              "manager_id": N(ID("The team's manager 主管."))}, ["name"]),
   e400=["invalid_field parent_id (missing for a director, or no such team) / manager_id (no such user, or a rep)"],
   e403="forbidden: only a director or an admin can create teams")
op("patch", "/api/v1/teams/{id}", "teams", "Change a team (name, parent, manager)",
   "Directors and admins only. `parent_id: null` makes it top-level; `manager_id: null` removes the manager. Fields "
   "left out are unchanged.",
   params=[ID_PATH("team")], ok_resp=ok("The updated team.", ref("Team")),
   body=body({"name": S(mx=100, minLength=1), "parent_id": N(ID()), "manager_id": N(ID()),
              "version": I("If given, must equal the current version.", 1)}),
   e400=["invalid_field name (empty) / parent_id / manager_id"], e403="forbidden: only a director or an admin can change teams",
   e404="no such team in your scope", e409=[STALE, "team_cycle (a team cannot be placed under its own subtree)"])

# users
op("get", "/api/v1/users", "users", "List users",
   "Users in the caller's scope (admins: all; managers/directors: their teams' subtrees; reps: themselves and their "
   "teammates). One page; `next_cursor` is always null.",
   params=[P("team_id", "query", ID(), "Only users of this team."),
           P("limit", "query", I(None, 1), "Accepted for uniformity; the list is not paged yet."),
           P("cursor", "query", S(), "Accepted for uniformity; the list is not paged yet.")],
   ok_resp=ok("Users.", ref("UserList")), strict_query=True, e400=["invalid_field team_id"])
op("post", "/api/v1/users", "users", "Create a user",
   "Managers and up. A manager creates reps only; only an admin creates directors and admins. Non-admins must give a "
   "`team_id` within their scope.",
   ok_status="201", ok_resp=ok("Created.", ref("User")),
   body=body({"username": S("Unique across the installation; no spaces or slashes.", 64), "display_name": S("Defaults to the username.", 100),
              "password": S("At least 8 characters.", 200, minLength=8, format="password"), "role": ROLE,
              "team_id": N(ID()), "hire_date": N(DATE()), "selling_style": S(STYLE_DESC, 50)}, ["username", "password", "role"]),
   e400=["invalid_field (username with spaces or slashes, short password, unknown role, team_id missing or no such team)", "unknown_style"],
   e403="forbidden: reps cannot create users; managers create reps only; only admins create directors and admins",
   e409=["username_taken"])
op("get", "/api/v1/users/{id}", "users", "Get a user", params=[ID_PATH("user")],
   ok_resp=ok("The user.", ref("User")), e404="no such user in your scope")
op("patch", "/api/v1/users/{id}", "users", "Change or deactivate a user",
   "Everyone may change their own `display_name`, `selling_style` and `password` (the latter with `current_password`). "
   "Managers and up change users in their scope: `role`, `team_id`, `hire_date`, `active`. `active: false` "
   "deactivates the user: their sessions and tokens end at once. A password change ends the user's other sessions. "
   "Only admins change directors and admins. Only an admin resets another user's `password` (403 for others): the "
   "reset ends every session and bearer token of the user, is audited as `password_reset`, and the user must set a "
   "new password (POST /api/v1/me/password) at the next login.",
   params=[ID_PATH("user")], ok_resp=ok("The updated user.", ref("User")),
   body=body({"display_name": S("Empty resets it to the username.", 100), "password": S("New password, at least 8 characters.", 200, format="password"),
              "current_password": S("Required when changing your own password.", 200, format="password"),
              "role": ROLE, "team_id": N(ID("null removes the user from their team.")), "hire_date": DATE(),
              "selling_style": S(STYLE_DESC, 50), "active": B("false deactivates the user."),
              "version": I("If given, must equal the current version.", 1)}),
   e400=["invalid_field (short password, unknown role, missing current_password, no such team)", "unknown_style"],
   e403="forbidden: changing your own role, team, hire date or active state, or a role/user above your rights; wrong_password",
   e404="no such user in your scope", e409=[STALE])

# companies
SORT_DESC = ("Sort key, one of the allowlist `name` (default), `created_at`, `updated_at`, `industry_rank`, "
             "`budget_capacity`, `last_visit_at`, `visit_count`, `status`; prefix `-` for descending (e.g. `-updated_at`). "
             "Ties break by id. Anything else is 400 invalid_field.")
op("get", "/api/v1/companies", "companies", "List and search companies",
   "Companies visible to the caller: their own (reps), their teams' (managers, directors), all (admins), plus the "
   "public pool 公海 (unowned companies) for everyone. Paging is keyset-based: pass the answer's `next_cursor` as "
   "`cursor` with the same `sort` to get the next page; `next_cursor` is null on the last page. A cursor is bound to its "
   "sort order (a mismatched one is 400).",
   params=[P("q", "query", S(mx=200), "Text search in company names and contact names (substring)."),
           P("status", "query", S(enum=["prospect", "contacted", "effective", "signed", "nurture", "dropped"]), "Only this status."),
           P("owner_id", "query", S(pattern="^([0-9]+|none|pool)$"), "Only companies of this owner; `none` or `pool` = the public pool."),
           P("industry", "query", S(), "Exact industry (an alias of the organisation's list finds its industry)."),
           P("sort", "query", S(enum=[p + k for k in ["name", "created_at", "updated_at", "industry_rank", "budget_capacity",
                                                      "last_visit_at", "visit_count", "status"] for p in ["", "-"]], default="name"), SORT_DESC),
           LIMIT(1, 200, 20), CURSOR],
   ok_resp=ok("A page of companies.", ref("CompanyList")), strict_query=True,
   e400=["invalid_field (q too long, unknown status, bad owner_id, limit or sort, cursor not of this listing)"])
COMPANY_FIELDS = {"name": S(mx=200, minLength=1), "industry": S(mx=50), "industry_rank": N(I("Rank in the industry.", 1, 1000000)),
                  "region": S(mx=50), "budget_capacity": N(I("What the company can pay. " + FEN, 0, BIG)),
                  "source": S("Lead source (ad, referral, competitor, exhibition, cold, …).", 50), "competitor": S("Competitor product in use.", 100)}
COMPANY_FIELDS["competitor_contract_end"] = CONTRACT_END
COMPANY_FIELDS["address"] = S("Street address (empty: unknown).", 200)
COMPANY_FIELDS["location"] = PLACE
op("post", "/api/v1/companies", "companies", "Create a company",
   "New companies start as `prospect` 线索. `owner_id` defaults to the caller; an explicit null puts the company "
   "straight into the public pool. A rep may only name themselves as owner; managers and up may name an active user in "
   "their scope.",
   ok_status="201", ok_resp=ok("Created.", ref("Company")),
   body=body(dict(COMPANY_FIELDS, owner_id=N(ID("Owner; omitted = you, null = the public pool."))), ["name"]),
   e400=["invalid_field owner_id (no such user in your teams)", "forbidden_field owner_id (a rep assigning to someone else)",
         "unknown_industry (not a name or alias of the organisation's industries; the message lists the nearest)"])
op("get", "/api/v1/companies/{id}", "companies", "Get a company with its contacts", params=[ID_PATH("company")],
   ok_resp=ok("The company.", ref("CompanyDetail")), e404="no such company visible to you")
op("patch", "/api/v1/companies/{id}", "companies", "Change a company or its status",
   "Carries `version` (required); a stale one gets 409. Fields left out are unchanged. The qualification facts "
   "(`need`, `budget`, `payer_met`, `effective_at`, `signed_at`) change only by logging a visit or a deal: sending them "
   "is 400 forbidden_field. Status changes: `nurture` 培养 needs `nurture_reason` and `revisit_on` (over the "
   "organisation's `nurture_cap` per rep: 409 nurture_cap_reached); `dropped` 放弃 needs `drop_reason` and sends the "
   "company to the public pool (owner cleared, history kept); from `nurture` back to the status the facts imply. "
   "`signed` only by a deal, `effective` only by qualification. Managers and up may reassign `owner_id` (null = to the "
   "pool; assigning a dropped company revives it); reps cannot. The lifecycle is described in the Company schema.",
   params=[ID_PATH("company")], ok_resp=ok("The updated company.", ref("Company")),
   body=body(dict(COMPANY_FIELDS, version=I("The version you read.", 1),
                  owner_id=N(ID("New owner (managers and up); null = to the public pool.")),
                  status=S("Target status (see the lifecycle).", enum=["prospect", "contacted", "effective", "signed", "nurture", "dropped"]),
                  nurture_reason=S("Required with status nurture.", 500), revisit_on=DATE("Required with status nurture."),
                  drop_reason=S("Required with status dropped.", 500)), ["version"]),
   e400=["forbidden_field (qualification facts; owner_id from a rep)", "nurture_needs_reason", "drop_needs_reason",
         "unknown_industry (not a name or alias of the organisation's industries; the message lists the nearest)",
         "invalid_field status (unknown, or reasons without a status change)"],
   e404="no such company visible to you",
   e409=[STALE, "in_pool (a rep changing a pool company: claim it first)",
         "illegal_transition (e.g. a signed company, a dropped one, or to signed/effective by hand)", "nurture_cap_reached"])
op("delete", "/api/v1/companies/{id}", "companies", "Delete a company",
   "Soft-deletes a company that has no deal. Reps may delete only their own companies.",
   params=[ID_PATH("company")], ok_status="204", ok_resp=ok("Deleted."),
   e404="no such company visible to you (or, for a rep, not yours)",
   e409=["has_deals (a signed customer keeps its history)"])
op("post", "/api/v1/companies/{id}/claim", "companies", "Claim a company from the public pool 公海",
   "The caller becomes the owner of an unowned company. A dropped or nurtured company gets back the status its facts "
   "imply. No request body.",
   params=[ID_PATH("company")], ok_resp=ok("The claimed company.", ref("Company")),
   e404="no such company visible to you", e409=["not_in_pool (the company is owned)", STALE])
# the public pool's limits and 撞单 (src/app/pool.cpp, duplicates.cpp)
paths["/api/v1/companies/{id}/claim"]["post"]["description"] += (
    " Bounded as SPEC §3 says (organisation settings): at most `claim_daily_max` claims per rep per local day, at most "
    "`owned_max` unsigned companies owned per rep, and a company the caller dropped or lost to the pool cannot be "
    "reclaimed by them for `reclaim_cooldown_days`. Each refusal is a 409 whose code names the limit and whose message "
    "says until when. Claiming a company whose normalised name another live company has is 409 duplicate.")
paths["/api/v1/companies/{id}/claim"]["post"]["responses"]["409"] = err(
    "Conflict: not_in_pool (the company is owned); claim_daily_max (today's claims are used up: the message names "
    "tomorrow's date); owned_max (you own as many unsigned companies as a rep may); reclaim_cooldown (you dropped or "
    "lost it: the message names the day you may claim it again); duplicate (撞单: another company of this name, named "
    "by its owner's display name); " + STALE + ".")
for _m, _p in [("post", "/api/v1/companies"), ("patch", "/api/v1/companies/{id}")]:
    _r = paths[_p][_m]["responses"]
    _d = ("duplicate (撞单: another live company of the organisation has this name after normalisation: width, case, "
          "spaces, punctuation, （）/() and the legal forms 有限公司 / 有限责任公司 / 股份有限公司 / Co., Ltd. ignored; the "
          "message names its owner's display name and nothing else of a company you may not read; the owner is told)")
    _r["409"] = err(_r["409"]["description"].rstrip(".") + "; " + _d + ".") if "409" in _r else err("Conflict: " + _d + ".")
schemas["NameCheck"] = obj({
    "exists": B("A live company of the organisation has this name after normalisation."),
    "owner_name": N(S("Its owner's display name; null when it is in the public pool or none exists.")),
    "company_id": N(ID("Its id, only when you may read it.")),
    "company_name": S("Its stored name, only when you may read it."),
    "in_pool": B("It is in the public pool (claim it instead)."), "mine": B("You own it."),
    "message": S("What the 409 duplicate would say (Chinese, or English with `Accept-Language: en`).")},
    ["exists", "owner_name", "company_id", "in_pool", "mine"], "The answer of 查重.")
op("get", "/api/v1/companies/check", "companies", "查重: is a company of this name already here?",
   "Answers the question a create would (409 duplicate) before the rep types the rest: names are compared after "
   "normalisation (full width to half width, case, spaces and punctuation, （）and () alike, the legal forms 有限公司 / "
   "有限责任公司 / 股份有限公司 / Co., Ltd. / Ltd / Inc ignored). Only the owner's display name is told about a company "
   "you may not read. Checking is not an attempt (the owner is not told).",
   params=[P("name", "query", S(mx=800), "The name typed so far.", required=True),
           P("except_id", "query", ID(), "Leave this company out (renaming it).")],
   ok_resp=ok("The answer.", ref("NameCheck")), strict_query=True,
   e400=["invalid_field name (missing, empty, too long, or nothing to compare after normalisation) / except_id"])
schemas["DuplicateCompany"] = obj({"id": ID(), "name": S(), "owner_id": N(ID()), "owner_name": N(S()),
    "status": S(), "visit_count": I(), "signed_at": N(TIME()), "created_at": TIME()},
    ["id", "name", "owner_id", "owner_name", "status", "visit_count", "signed_at", "created_at"])
schemas["DuplicateGroup"] = obj({"name_key": S("The normalised name the companies share."),
    "companies": {"type": "array", "items": ref("DuplicateCompany")}}, ["name_key", "companies"],
    "Live companies of the organisation with the same normalised name (data from before the check, or an import).")
schemas["DuplicateGroupList"] = listof("DuplicateGroup")
op("get", "/api/v1/companies/duplicates", "companies", "Existing duplicate names, for an admin to merge",
   "Groups of live companies whose names are the same after normalisation, in name-key order. Admins only.",
   params=[LIMIT(1, 200, 50), CURSOR], ok_resp=ok("A page of groups.", ref("DuplicateGroupList")), strict_query=True,
   e400=["invalid_field limit / cursor"], e403="only an admin lists duplicates")
op("post", "/api/v1/companies/{id}/merge", "companies", "Merge a duplicate into this company",
   "Admins only. Moves every contact, visit, deal and booking of `from_id` to this company, fills the fields this one "
   "lacks from it, keeps the earlier signing, replays the qualification over both histories (the counters of the views "
   "follow), and deletes `from_id`. Both companies get an audit entry (`merge`, `merged_into`).",
   params=[ID_PATH("company")], ok_resp=ok("The merged company.", ref("Company")),
   body=body({"from_id": ID("The company merged into this one (and deleted).")}, ["from_id"]),
   e400=["invalid_field from_id (missing, the same company, or no such company)"], e403="only an admin merges companies",
   e404="no such company", e409=[STALE])

# contacts
op("get", "/api/v1/companies/{id}/contacts", "contacts", "List a company's contacts", params=[ID_PATH("company")],
   ok_resp=ok("Contacts (one page; next_cursor is null).", ref("ContactList")), e404="no such company visible to you")
CONTACT_FIELDS = {"name": S(mx=100, minLength=1), "title": S(mx=100), "is_payer": B("This person is the payer 买单人."),
                  "style": S("Leadership style of the buyer. " + STYLE_DESC, 50), "phone": S(mx=50)}
op("post", "/api/v1/companies/{id}/contacts", "contacts", "Add a contact to a company", params=[ID_PATH("company")],
   ok_status="201", ok_resp=ok("Created.", ref("Contact")), body=body(CONTACT_FIELDS, ["name"]),
   e400=["unknown_style"], e404="no such company visible to you", e409=["in_pool (claim the company first)"])
op("patch", "/api/v1/contacts/{id}", "contacts", "Change a contact", params=[ID_PATH("contact")],
   ok_resp=ok("The updated contact.", ref("Contact")),
   body=body(dict(CONTACT_FIELDS, version=I("If given, must equal the current version.", 1))),
   e400=["invalid_field name (empty)", "unknown_style"], e404="no such contact, or its company is not visible to you",
   e409=[STALE, "in_pool (claim the company first)"])

# visits and deals
op("get", "/api/v1/companies/{id}/visits", "visits", "List a company's visits",
   "Newest first, up to `limit` (one page; next_cursor is null).",
   params=[ID_PATH("company"), LIMIT(1, 500, 100), P("cursor", "query", S(), "Accepted for uniformity; not paged yet.")],
   ok_resp=ok("Visits.", ref("VisitList")),
   strict_query=True, e400=["invalid_field limit"], e404="no such company visible to you")
op("post", "/api/v1/visits", "visits", "Log a visit, call or accompanied visit 陪访 (qualifies 有效新客户)",
   "Logs an activity on a company the caller may write (reps: their own companies). The visit updates the company: "
   "visit count and times, the facts `need` / `budget` (true or false replaces the value; omitted = unchanged) and "
   "`met_payer` (once the payer was met it stays known), and the last non-empty interest_reason / attraction / "
   "concerns. " + QUAL_DESC + " The company's status then follows its facts (prospect → contacted → effective); "
   "a nurtured company stays parked unless this visit qualifies it; a dropped one stays dropped. An accompanied visit "
   "names `companion_id` (an active manager, director or admin other than the caller) and its coaching stage 1–4 "
   "of the 16-character rule 16字法则; other kinds must not.",
   ok_status="201", ok_resp=ok("Logged. Includes the company's new `status`, `effective` and the company.", ref("VisitCreated")),
   body=body({"company_id": ID(), "at": TIME("ISO 8601 with an offset; default now; not in the future, within the last year.", maxLength=40),
              "kind": S("Default `visit`.", enum=["visit", "call", "accompanied"], default="visit"),
              "duration_min": N(I("Minutes (weights the 80/20 share).", 1, 1440)),
              "met_payer": N(B("The payer 买单人 was met.")), "need": N(B("Need confirmed (true) or ruled out (false).")),
              "budget": N(B("Budget confirmed (true) or ruled out (false).")),
              "companion_id": N(ID("Accompanied visits: the accompanying manager.")),
              "coaching_stage": N(I("Accompanied visits: 1 我做你看, 2 我说你听, 3 你做我看, 4 你说我听.", 1, 4)),
              "interest_reason": S("Why they are interested.", 500), "attraction": S("What attracts them.", 500),
              "concerns": S("What worries them.", 500), "notes": S(mx=5000),
              "location": N(obj({"lat": {"type": "number", "minimum": -90, "maximum": 90},
                                 "lng": {"type": "number", "minimum": -180, "maximum": 180}}, ["lat", "lng"],
                                "Where the visit was logged (browser geolocation check-in); stored with the visit."))}, ["company_id"]),
   e400=["invalid_field at (not ISO 8601 with offset, in the future, older than a year) / kind / companion_id / coaching_stage / location"],
   e404="no such company visible to you (or, for a rep, not yours)",
   e409=["in_pool (claim the company first)", "stale_version (the company changed concurrently; retry)"])
op("delete", "/api/v1/visits/{id}", "visits", "Delete a mistaken visit (the company's facts are replayed)",
   "Removes a visit logged by a rep in the caller's scope (reps: their own). The company's visit-derived state (visit "
   "count and times, need / budget / payer met, effective_at and who was credited, status) is recomputed from the "
   "remaining visits in the order they happened; deals, ownership, nurture and drop state are kept.",
   params=[ID_PATH("visit")], ok_status="204", ok_resp=ok("Deleted."),
   e404="no such visit in your scope", e409=["stale_version (the company changed concurrently; retry)"])
op("get", "/api/v1/companies/{id}/deals", "deals", "List a company's deals", "Newest first (one page; next_cursor is null).",
   params=[ID_PATH("company")], ok_resp=ok("Deals.", ref("DealList")), e404="no such company visible to you")
op("post", "/api/v1/deals", "deals", "Record a signed deal",
   "Records a signed order; the company becomes `signed` 已签 (and, from its first deal on, an existing customer "
   "老客户). The company's owner is credited.",
   ok_status="201", ok_resp=ok("Recorded, with the updated company.", ref("DealCreated")),
   body=body({"company_id": ID(), "amount": I("Order amount, at least 1. " + FEN, 1, BIG),
              "signed_on": DATE("Default today in the organisation's zone; not in the future."),
              "notes": S("Free-text notes on the deal.", 2000)}, ["company_id", "amount"]),
   e400=["invalid_field signed_on (in the future)"],
   e404="no such company visible to you (or, for a rep, not yours)",
   e409=["in_pool (claim the company first)", "illegal_transition (a dropped company: claim it first)", "stale_version"])

# targets and settings
op("get", "/api/v1/targets", "targets", "List targets",
   "Targets the caller may see: their own, their team's, and those of reps and teams in their scope (one page). "
   "Each item carries `history`: every change with old and new value, reason, who and when, newest first.",
   ok_resp=ok("Targets with their change history.", ref("TargetWithHistoryList")))
op("put", "/api/v1/targets", "targets", "Set a target (quota) for a rep or team",
   "Managers and up; creates or replaces the target for (scope, scope_id, metric, period). Changes keep history with "
   "their `reason`. Lower a quota to a middle value everyone can reach (取中间值: 3 → 2 → 1). You cannot set your own target.",
   ok_resp=ok("The target.", ref("Target")),
   body=body({"scope": S(enum=["rep", "team"]), "scope_id": ID("The rep's or team's id."),
              "metric": S(enum=["visits_new", "effective_new", "signed_amount"]), "period": S(enum=["day", "month"]),
              "value": I("For signed_amount: " + FEN, 0, BIG), "reason": S("Why (kept in the history).", 500)},
             ["scope", "scope_id", "metric", "period", "value"]),
   e403="forbidden: reps cannot set targets", e404="no such rep or team in your scope (or yourself)")
schemas["TargetProgress"] = obj({
    "id": ID(), "scope": S(enum=["rep", "team"]), "scope_id": ID(), "metric": S(enum=["visits_new", "effective_new", "signed_amount"]),
    "period": S(enum=["day", "month"]), "value": I("The target (signed_amount: " + FEN + ")", 0, BIG),
    "actual": I("Results over the period up to as_of (a day: that day; a month: its first day to as_of); a team target sums "
                "its team and sub-teams. visits_new counts distinct new companies met in person (calls too when "
                "`calls_count_as_visits`).", 0),
    "attainment": N({"type": "number", "description": "actual / value; null when value is 0."}),
    "pace": {"type": "number", "description": "Share of the period's working days gone (finished) by as_of: what attainment is on pace."},
    "working_days_gone": I("Working days of the period finished by as_of.", 0),
    "working_days": I("Working days of the whole period.", 0),
    "behind_pace": B("A monthly target past the first `pace_grace_days` working days with attainment below `pace_alert_share` × pace."),
    "from": DATE("The first day counted: the period's first day (a day target: as_of)."),
    "to": DATE("The last day counted: as_of.")},
    ["id", "scope", "scope_id", "metric", "period", "value", "actual", "attainment", "pace", "working_days_gone",
     "working_days", "behind_pace", "from", "to"],
    "A target against its results (树目标 → 拿结果).")
schemas["TargetProgressList"] = listof("TargetProgress", extra={"as_of": DATE()})
op("get", "/api/v1/targets/progress", "targets", "Targets against results: actual, attainment and pace",
   "Every target the caller may see (as GET /api/v1/targets: a rep their own and their team's; a manager their teams' and "
   "their reps'; directors and admins all), with its actual, attainment and pace as of `as_of`. One page.",
   params=[P("as_of", "query", DATE(), "Measure as the day stood (default: today in the organisation's zone; not in the future)."),
           P("team_id", "query", ID(), "Only the targets of this team's subtree and of its members (in your scope; 404 otherwise)."),
           P("period", "query", S(enum=["day", "month"]), "Only day or month targets.")],
   ok_resp=ok("Targets with their progress.", ref("TargetProgressList")), strict_query=True,
   e400=["invalid_field as_of (not a date, or in the future) / team_id / period"], e404="no such team in your scope")
op("get", "/api/v1/settings", "settings", "Get the organisation's settings", ok_resp=ok("Settings.", ref("Settings")))
op("patch", "/api/v1/settings", "settings", "Change the organisation's settings",
   "Admins only. Fields left out are unchanged.", ok_resp=ok("The updated settings.", ref("Settings")),
   body=body(dict(SETTINGS_PROPS, version=I("If given, must equal the current version.", 1))),
   e400=["invalid_field (unknown time zone, working_days not digits 1-7, holidays not dates, out of range, industries not a list of {name, aliases})",
         "invalid_industries (a name empty, too long or repeated; an alias that is already a name or alias)"],
   e403="forbidden: only an admin can change settings", e409=[STALE, "industry_in_use (a removed industry still carried by companies)"])

# daily rhythm
REP_Q = P("rep_id", "query", ID(), "Whose note (default: you); must be in your scope.")
op("get", "/api/v1/plans/{date}", "rhythm", "Get a morning plan 早启动",
   params=[DATE_PATH, REP_Q], ok_resp=ok("The plan.", ref("Plan")), strict_query=True,
   e400=["invalid_date", "invalid_field rep_id"], e404="no such rep in your scope, or no plan that day")
op("put", "/api/v1/plans/{date}", "rhythm", "Write my morning plan 早启动",
   "Creates or replaces the caller's plan for the day (the whole plan: fields left out become empty).",
   params=[DATE_PATH], ok_resp=ok("The stored plan.", ref("Plan")),
   body=body(dict(PLAN_PROPS, version=I("If given, must equal the current version.", 1))),
   e400=["invalid_date", "invalid_field company_ids (not ids, more than 50, or a company you cannot see)"], e409=[STALE])
op("get", "/api/v1/reviews/{date}", "rhythm", "Get an evening share 晚分享",
   "The rep's review with the day's actual `results` computed from visits and deals.",
   params=[DATE_PATH, REP_Q], ok_resp=ok("The review.", ref("Review")), strict_query=True,
   e400=["invalid_date", "invalid_field rep_id"], e404="no such rep in your scope, or no review that day")
op("put", "/api/v1/reviews/{date}", "rhythm", "Write my evening share 晚分享",
   "Creates or replaces the caller's review for the day (fields left out become empty). The answer has no `results`.",
   params=[DATE_PATH], ok_resp=ok("The stored review.", ref("Review")),
   body=body(dict(REVIEW_PROPS, version=I("If given, must equal the current version.", 1))),
   e400=["invalid_date"], e409=[STALE])

# metrics and audit
op("get", "/api/v1/metrics/reps", "metrics", "Per-rep metrics (visits, effective new customers 有效新客户, deals, 80/20)",
   "Numbers per rep (role rep) over [from, to] in the organisation's zone: visits, new-customer visits, effective new "
   "customers, deals, signed amount (fen), the 80/20 new share, and attainment against the daily quotas times the "
   "range's working days. Reps see their team; managers their teams; admins everyone.",
   params=[P("from", "query", DATE(), "First day (default: the first of this month)."),
           P("to", "query", DATE(), "Last day (default: today); at most 400 days after from."),
           P("team_id", "query", ID(), "Only this team's subtree (in your scope).")],
   ok_resp=ok("Per-rep rows, with the resolved range.", ref("RepMetricsList")), strict_query=True,
   e400=["invalid_field from / to (not dates, to before from, more than 400 days) / team_id"],
   e404="no such team in your scope")
op("get", "/api/v1/audit", "audit", "The audit log",
   "Newest first. Admins see every entry; others only their own actions.",
   params=[P("entity", "query", S(mx=30), "Only this entity kind (e.g. company)."), P("entity_id", "query", ID(), "Only this record."),
           LIMIT(1, 500, 100)],
   ok_resp=ok("Entries (one page; next_cursor is null).", ref("AuditEntryList")), strict_query=True,
   e400=["invalid_field entity / entity_id / limit"])


# ---------------------------------------------------------------- method views (emitted only once routed)
AS_OF = P("as_of", "query", DATE(), "See the view as it stood at the end of this day (default: today in the organisation's zone; not in the future).")
TEAM_Q = P("team_id", "query", ID(), "Only reps of this team's subtree (must be in your scope; 404 otherwise).")
REP_ONLY = P("rep_id", "query", ID(), "Only this rep (in your scope; 404 otherwise).")
VIEW_400 = ["invalid_field as_of (not a date, or in the future) / team_id / rep_id"]
VIEW_404 = "no such team or rep in your scope"
LANG = " Messages are in Chinese, or in English with `Accept-Language: en`."
ALERT_KINDS = ["time_sink_last_month", "sign_or_drop", "not_effective", "find_payer", "nurture_due", "low_new_share", "below_quota"]
ALERT_KINDS += ["harvest_window", "behind_pace"]
ALERT_ACTIONS = ["log_visit", "drop", "nurture", "book_accompanied", "nudge", "reassign"]
if "pool_release_soon" not in ALERT_KINDS:  # the public pool's warning (src/app/pool.cpp)
    ALERT_KINDS.insert(ALERT_KINDS.index("nurture_due") + 1, "pool_release_soon")
schemas["Alert"] = obj({
    "kind": S("`time_sink_last_month`: unsigned company first visited before this month with ≥ 2 visits this month; "
              "`sign_or_drop`: unsigned company with ≥ 2 visits where the payer was met (sign, or drop); "
              "`not_effective`: ≥ 3 visits, payer met, need or budget still missing; `find_payer`: ≥ 3 visits and the payer "
              "never met; `nurture_due`: a nurtured company's `revisit_on` has come; `low_new_share`: the rep's 80/20 "
              "new-customer share over the ISO week up to as_of is below `new_share_min`; `below_quota`: on a working day, "
              "the rep is below the daily quota of new visits or effective new customers.", enum=ALERT_KINDS),
    "company_id": N(ID("The company concerned; null for rep-level alerts (low_new_share, below_quota).")),
    "rep_id": N(ID("The rep concerned (the company's owner); null for a team's `behind_pace`.")),
    "team_id": ID("A team's `behind_pace` (its monthly target): the team; `rep_id` is null and `actions` empty."),
    "team_name": S("A team's `behind_pace`: the team's name."),
    "message": S("What to do, for people." + LANG),
    "company_name": S(), "visits_this_month": I(), "first_visit_day": DATE(), "payer_visits": I("Visits with the payer met."),
    "visits": I(), "missing": {"type": "array", "items": S(enum=["need", "budget", "payer"]), "description": "Missing qualification facts."},
    "revisit_on": DATE(), "new_share": {"type": "number"}, "week_start": DATE(),
    "visits_new": I(), "quota_visits_new": I(), "effective_new": I(), "quota_effective_new": I()},
    ["kind", "company_id", "rep_id", "message"],
    "Something a rep or manager should act on. Fields beyond kind, company_id, rep_id and message depend on the kind.")
schemas["Alert"]["properties"].update({
    "actions": {"type": "array", "items": S(enum=ALERT_ACTIONS), "description":
                "What the caller can do about it from the alert (decided by src/method from the kind and the caller's role): "
                "a rep on their own company alerts `log_visit`, `drop`, `nurture` (nurture_due: `log_visit`, `drop`), on their "
                "own rep alerts `log_visit`; a manager, director or admin `book_accompanied` (a 陪访), `nudge` and, on company "
                "alerts, `reassign`."},
    "visits_in_window": I("time_sink_last_month: visits in the rolling window (`time_sink_window_days` up to as_of)."),
    "window_from": DATE("time_sink_last_month: the window's first day."),
    "competitor": S("harvest_window: the competitor whose contract ends."),
    "competitor_contract_end": DATE("harvest_window: when it ends."),
    "day": DATE("below_quota: the finished working day judged (a day in progress is never judged)."),
    "through": DATE("low_new_share: the last finished day of the ISO week counted."),
    "targets": {"type": "array", "description": "behind_pace: the rep's monthly targets behind pace.", "items": obj({
        "target_id": ID(), "metric": S(enum=["visits_new", "effective_new", "signed_amount"]), "value": I(None, 0, BIG),
        "actual": I(None, 0), "attainment": {"type": "number"}, "pace": {"type": "number"}})},
    "release_on": DATE("pool_release_soon: the day the company goes back to the public pool (pool_release_days after the "
                       "latest of its last visit, claim and assignment; warned pool_warn_days before)."),
    "days_left": I("pool_release_soon: days from as_of to release_on.")})
schemas["Alert"]["required"].append("actions")
schemas["Alert"]["properties"]["kind"]["description"] += (
    " `harvest_window`: an owned, unsigned company whose `competitor_contract_end` is within `harvest_window_days`: be there "
    "before the renewal. `behind_pace`: a rep's monthly target whose attainment is below `pace_alert_share` × pace (the share "
    "of the month's working days gone), after its first `pace_grace_days` working days. Time sink (a) counts visits in the "
    "rolling window of `time_sink_window_days` up to as_of, of a company first visited at least `time_sink_age_days` before; "
    "quota and 80/20 verdicts judge finished days only (as of today, today is in progress).")
schemas["AlertList"] = listof("Alert", extra={"as_of": DATE()})
op("get", "/api/v1/alerts", "method", "Alerts: time sinks, sign or drop, find the payer, nurture due, 80/20, below quota",
   "The method's alerts for the reps in scope (reps: themselves), as they stood on `as_of`. Time sinks (SPEC §3): "
   "(a) `time_sink_last_month`, (b) `sign_or_drop`, (c) `not_effective` / `find_payer`. Paged: the kinds in the order "
   "time_sink_last_month, sign_or_drop, find_payer, not_effective, nurture_due (each by company id), then low_new_share, "
   "below_quota (each by rep id); follow `next_cursor` for the rest. A company can appear under more than one kind." + LANG,
   params=[AS_OF, REP_ONLY, TEAM_Q, P("kind", "query", S(enum=ALERT_KINDS), "Only this kind."), LIMIT(1, 1000, 100), CURSOR],
   ok_resp=ok("Alerts.", ref("AlertList")), strict_query=True,
   e400=VIEW_400 + ["invalid_field kind", "invalid_field limit", "invalid_field cursor"], e404=VIEW_404)

schemas["Prospect"] = obj({
    "company_id": ID(), "company_name": S(), "industry": S(), "industry_rank": I(None, 1),
    "budget_capacity": N(I(FEN)), "owner_id": N(ID("null = in the public pool (claim it first).")),
    "status": S(enum=["prospect", "contacted", "effective", "nurture"]),
    "score": I("Higher is better: rank nearness (±1 before ±2), then uses a competitor, budget fit, payer known."),
    "reference_company_id": ID("The signed customer this suggestion is based on."), "reference_company_name": S(),
    "reference_rank": I("The reference customer's industry rank."),
    "reasons": {"type": "array", "items": S(), "description": "Why, for people (e.g. \"#5 bought it and it works\")." + LANG},
    "reason_codes": {"type": "array", "items": S(enum=["rank_adjacent_1", "rank_adjacent_2", "uses_competitor", "budget_fit", "payer_known", "style_fit"])},
    "fit": ref("RepFit")},
    ["company_id", "company_name", "industry", "industry_rank", "budget_capacity", "owner_id", "status", "score",
     "reference_company_id", "reference_company_name", "reference_rank", "reasons", "reason_codes", "fit"],
    "A suggested prospect 客户画像: for a signed company of industry I and rank r, companies of I ranked r−2…r+2, not signed or dropped, free or owned by the rep, with budget_capacity ≥ min_order_value.")
# Harvest prospects (competitor contract ending within harvest_window_days) lead the list, with no reference customer.
_pp = schemas["Prospect"]["properties"]
_pp["reference_company_id"] = N(ID("The signed customer this suggestion is based on; null for a harvest-only suggestion."))
_pp["reference_company_name"] = N(S())
_pp["reference_rank"] = N(I("The reference customer's industry rank."))
_pp["industry_rank"] = N(I(None, 1))
_pp["budget_capacity"] = N(I(FEN))
_pp["competitor_contract_end"] = N(DATE("When its contract with its competitor ends (harvest)."))
_pp["reason_codes"]["items"]["enum"].append("harvest_window")
_pp["score"]["description"] += " A harvest suggestion (`harvest_window`: its competitor contract ends within `harvest_window_days`) scores 3000 and leads."
_pp["competitor"] = S("The competitor product it uses (empty: none known).", 100)
_pp["reference_order"] = N(I("The order size the budget is compared with: the reference customer's largest order, at least min_order_value (" + FEN + "); null for a harvest-only suggestion."))
schemas["ProspectList"] = listof("Prospect", extra={"as_of": DATE()})
op("get", "/api/v1/prospects", "method", "Recommended prospects (客户画像: neighbours of signed customers in the industry ranking)",
   "Best first. Each suggestion names its reference customer and why (`reason_codes` for a UI to render in its own words, "
   "`reasons` as sentences). One page; next_cursor is null. The filters narrow the same ranking: the top `limit` of "
   "the suggestions that pass them.",
   params=[AS_OF, P("rep_id", "query", ID(), "For this rep (default: you; in your scope)."), LIMIT(1, 200, 50),
           P("industry", "query", S(), "Only this industry (a name of the organisation's list or an alias; unknown: 400 unknown_industry)."),
           P("competitor", "query", S(enum=["true", "false"]), "true: only companies using a competitor product; false: only the others."),
           P("max_rank_distance", "query", I(None, 0, 100), "Only candidates at most this many ranks from their reference customer "
             "(1: the direct neighbours; never wider than `prospect_rank_window`). Leaves out harvest-only suggestions.")],
   ok_resp=ok("Prospects.", ref("ProspectList")), strict_query=True,
   e400=VIEW_400 + ["invalid_field limit / competitor / max_rank_distance", "unknown_industry"], e404=VIEW_404)

schemas["CompanyView"] = obj({
    "company": ref("CompanyDetail"),
    "visits": {"type": "array", "items": ref("Visit"), "description": "Newest first, at most `visits_limit`; each with `distance_m`."},
    "deals": {"type": "array", "items": ref("Deal")}},
    ["company", "visits", "deals"], "A customer's page in one answer.")
op("get", "/api/v1/views/company/{id}", "views", "A customer's page: the company with its contacts, visits and deals in one answer",
   "What GET /api/v1/companies/{id}, /companies/{id}/visits and /companies/{id}/deals answer, read in one transaction. Each "
   "visit's `distance_m` says how far its check-in was from the company's `location` when both are known.",
   params=[ID_PATH("company"), P("visits_limit", "query", I(None, 1, 500), "How many visits, newest first (default 100).")],
   ok_resp=ok("The customer view.", ref("CompanyView")), strict_query=True,
   e400=["invalid_field visits_limit"], e404="no such company visible to you")

TODAY_DAY = obj({"day": DATE(), "visits": I(None, 0), "visits_new": I("New-customer visits (as GET /metrics/reps).", 0),
                 "effective_new": I(None, 0), "deals": I(None, 0), "signed_amount": I(FEN, 0),
                 "quota_visits_new": I("The day's quota: the daily target (rep > team > setting) on a working day since hiring, else 0.", 0),
                 "quota_effective_new": I(None, 0)},
                ["day", "visits", "visits_new", "effective_new", "deals", "signed_amount", "quota_visits_new", "quota_effective_new"])
schemas["TodayView"] = obj({
    "as_of": DATE(), "rep_id": ID(), "display_name": S(), "working_day": B("as_of is a working day of the organisation."),
    "today": TODAY_DAY,
    "trend": {"type": "array", "items": TODAY_DAY, "description": "The last ten working days up to as_of, oldest first."},
    "targets": {"type": "array", "items": ref("TargetProgress"), "description": "The rep's own and their team's targets against results with pace (as GET /api/v1/targets/progress)."},
    "plan": N({"type": "object", "description": "The morning plan (as GET /api/v1/plans/{date}); null while not written."}),
    "plan_companies": {"type": "array", "items": obj({"id": ID(), "name": S(), "status": S()}, ["id", "name", "status"]),
                       "description": "The plan's companies the caller may still see, in the plan's order."},
    "review": N({"type": "object", "description": "The evening share (as GET /api/v1/reviews/{date}, with `results`); null while not written."}),
    "alerts": {"type": "array", "items": ref("Alert"), "description": "The rep's alerts as of as_of (as GET /api/v1/alerts?rep_id=, the first 200)."},
    "alerts_more": B("More than 200 alerts: follow GET /api/v1/alerts for the rest.")},
    ["as_of", "rep_id", "display_name", "working_day", "today", "trend", "targets", "plan", "plan_companies", "review", "alerts", "alerts_more"],
    "The rep's Today page in one answer.")
op("get", "/api/v1/views/today", "views", "The rep's Today page: quotas, trend, targets with pace, plan, share and alerts in one answer",
   "For a rep (default: the caller, who must then be a rep) on one day: the day's figures against the daily quotas, the last ten "
   "working days, the monthly and daily targets against results with pace, the morning plan and the evening share (null while "
   "not written: not an error) and the alerts. The same figures as GET /metrics/reps, /targets/progress, /plans/{date}, "
   "/reviews/{date} and /alerts." + LANG,
   params=[AS_OF, P("rep_id", "query", ID(), "For this rep (in your scope; 404 otherwise). Default: you.")],
   ok_resp=ok("The Today view.", ref("TodayView")), strict_query=True,
   e400=["invalid_field as_of (not a date, or in the future) / rep_id"], e404="no such rep in your scope (or the caller is not a rep and names none)")

NUM = lambda d=None: N({"type": "number", **({"description": d} if d else {})})
PERIOD = obj({"from": DATE(), "to": DATE()}, ["from", "to"])
QSYS = obj({"metric": S(enum=["effective_new", "visits_new"]), "current": I("The daily quota now."),
            "suggested": I("取中间值: the largest value ≤ current that ≥ 80% of reps reach on their median day (never below 1); equals current when no change is needed."),
            "failing": B(), "reaching_share": {"type": "number", "description": "Share of reps whose median day reaches the current quota."},
            "working_days": I("Working days looked at (last 20)."), "rep_medians": {"type": "array", "items": {"type": "number"}}},
           ["metric", "current", "suggested", "failing", "reaching_share"])
schemas["Diagnosis"] = obj({
    "as_of": DATE(),
    "source": obj({"failing": B(), "period": PERIOD, "previous_period": PERIOD, "intake": I("New companies in the last 30 days."),
                   "effective": I("Effective new customers in the last 30 days."), "effective_rate": NUM(), "previous_intake": I(),
                   "previous_effective": I(), "previous_effective_rate": NUM(),
                   "by_source": {"type": "array", "items": obj({"source": S(), "intake": I(), "effective": I(), "effective_rate": NUM(),
                                                               "previous_intake": I(), "previous_effective": I(), "previous_effective_rate": NUM()})},
                   "failing_measures": {"type": "array", "items": S(enum=["intake", "effective_rate"]),
                                        "description": "The measures below 0.8 of the previous period; the message cites each with both figures."},
                   "message": S("Names each failing measure with its two figures (e.g. intake fell from 1,240 to 680); a measure that held is named in words only.")},
                  ["failing"], "Source layer: lead intake and effective rate by source, last 30 days vs the 30 before."),
    "people": obj({"failing": B(), "new_hires": obj({"count": I(), "attainment": NUM()}), "veterans": obj({"count": I(), "attainment": NUM()}),
                   "tenure_days": I("Tenure under which a rep is a new hire (90)."),
                   "lagging": N(S("The group below 0.8 of the other's attainment.", enum=["new_hires", "veterans"])),
                   "message": S("Both groups' attainment, the lagging one first.")}, ["failing"],
                  "People layer: quota attainment of new hires vs veterans over the last 20 working days."),
    "system": {"allOf": [QSYS, obj({"also": {"type": "array", "items": QSYS},
                                     "failing_measures": {"type": "array", "items": S(enum=["effective_new", "visits_new"])},
                                     "message": S("Each failing quota with the share of reps reaching it and the suggested value.")})],
               "description": "System layer: quota attainment distribution and the suggested adjustment (取中间值, 3 → 2 → 1)."},
    "first_failing": S("The first failing layer, checked in order source → people → system.", enum=["source", "people", "system", "none"]),
    "message": S("The verdict for people." + LANG)},
    ["as_of", "source", "people", "system", "first_failing"], "Why the team misses: source → people → system.")
op("get", "/api/v1/diagnosis", "method", "Diagnosis: source → people → system (reflect and adjust)",
   "Managers and up. Checks in order the source (lead intake and effective rate vs the previous 30 days), the people "
   "(new hires vs veterans) and the system (the quota itself, with a suggested lower middle value) and reports the first failing layer.",
   params=[AS_OF, TEAM_Q], ok_resp=ok("The diagnosis.", ref("Diagnosis")), strict_query=True,
   e400=["invalid_field as_of / team_id"], e403="forbidden: diagnosis is for managers and up", e404="no such team in your scope")

LB_METRICS = ["signed_amount", "deals", "effective_new", "visits", "visits_new", "conversion", "new_share"]
FIG = obj({"signed_amount": I(FEN), "deals": I(), "effective_new": I(), "visits": I(), "visits_new": I(),
           "conversion": NUM("Effective → signed conversion."), "new_share": NUM("80/20 new-customer share.")})
schemas["LeaderboardRow"] = obj({"rep_id": ID(), "display_name": S(), "team_id": N(ID()),
    "value": {"type": "number", "description": "The ranked metric (an integer for counts and signed_amount in fen)."},
    "rank": I("1 = first; ties share a rank.", 1), "figures": FIG}, ["rep_id", "display_name", "value", "rank", "figures"])
schemas["Leaderboard"] = obj({"items": {"type": "array", "items": ref("LeaderboardRow")}, "next_cursor": N(S()),
    "benchmark": N(obj({"rep_id": ID(), "display_name": S(), "value": {"type": "number"}, "figures": FIG},
                       desc="The benchmark rep 业绩标杆 (the leader), null when nobody scored.")),
    "period": S(enum=["day", "week", "month"]), "metric": S(enum=LB_METRICS), "from": DATE(), "to": DATE()},
    ["items", "next_cursor", "benchmark", "period", "metric", "from", "to"], "Ranked reps with the benchmark's figures.")
op("get", "/api/v1/leaderboard", "method", "Leaderboard and benchmark 业绩标杆",
   "Reps ranked by a metric over the day, ISO week or month containing `as_of` (up to as_of). Reps see their own team.",
   params=[P("period", "query", S(enum=["day", "week", "month"], default="month"), "Default month."),
           P("metric", "query", S(enum=LB_METRICS, default="signed_amount"), "Default signed_amount (fen)."), AS_OF, TEAM_Q],
   ok_resp=ok("The leaderboard.", ref("Leaderboard")), strict_query=True,
   e400=["invalid_field period / metric / as_of / team_id"], e404="no such team in your scope")

schemas["CoachingRow"] = obj({"rep_id": ID(), "display_name": S(), "team_id": N(ID()),
    "in_coaching": B("Below quota on 3 consecutive working days and not yet 3 consecutive days back on quota."),
    "streak_below": I(), "streak_on": I(), "since": DATE("When the rep entered coaching."),
    "accompanied_visits": {"type": "array", "items": obj({"visit_id": ID(), "day": DATE(), "companion_id": N(ID()),
                                                          "coaching_stage": N(I(None, 1, 4)), "company_id": ID()}),
                           "description": "Accompanied visits since entering coaching; left out with visits=none."},
    "accompanied_count": I("How many accompanied visits since entering coaching."),
    "stage": N(I("Latest coaching stage of the 16-character rule: 1 我做你看, 2 我说你听, 3 你做我看, 4 你说我听.", 1, 4)),
    "stage_name": N(S()), "stages_done": {"type": "array", "items": I(None, 1, 4)},
    "attainment_before": NUM("Average daily attainment in the 10 working days before coaching."),
    "attainment_since": NUM("Average daily attainment since."), "improving": B()},
    ["rep_id", "display_name", "team_id", "in_coaching", "streak_below", "streak_on"],
    "A rep's coaching state (the 16-character loop 16字法则). The fields after streak_on appear while in coaching.")
schemas["CoachingList"] = listof("CoachingRow", extra={"as_of": DATE()})
op("get", "/api/v1/coaching", "method", "Coaching loop (16字法则): who is in coaching and how it goes",
   "A rep below quota on 3 consecutive working days enters coaching and leaves after 3 consecutive days on quota; "
   "accompanied visits record the stage. `visits=none` leaves each rep's list of accompanied visits out "
   "(accompanied_count remains): the compact answer for a whole organisation. Paged by rep, in rep id order: "
   "`limit` reps per page (default 200), then `next_cursor` until it is null.",
   params=[AS_OF, TEAM_Q, REP_ONLY,
           P("visits", "query", S(enum=["all", "none"], default="all"), "none: accompanied_count without the list."),
           LIMIT(1, 500, 200), CURSOR],
   ok_resp=ok("Reps.", ref("CoachingList")), strict_query=True,
   e400=["invalid_field as_of (not a date, or in the future) / team_id / rep_id / limit / cursor"], e404=VIEW_404)

# rhythm board, feed, insights, fit, people
PLAN_BODY = obj(dict(PLAN_PROPS), desc="The plan as written (see Plan).")
REVIEW_BODY = obj(dict(REVIEW_PROPS, id=ID("The review's id (for feed comments and likes).")), desc="The review as written (see Review).")
schemas["RhythmRow"] = obj({"rep_id": ID(), "display_name": S(), "team_id": N(ID()),
    "plan_submitted": B("Morning plan 早启动 written."), "review_submitted": B("Evening share 晚分享 written."),
    "plan": N(PLAN_BODY), "review": N(REVIEW_BODY),
    "visits": I(), "visits_new": I(), "effective_new": I(), "deals": I(), "signed_amount": I(FEN),
    "quota_visits_new": I("The rep's daily quota of new visits."), "quota_effective_new": I("The rep's daily quota of effective new customers.")},
    ["rep_id", "display_name", "team_id", "plan_submitted", "review_submitted", "plan", "review", "visits", "visits_new",
     "effective_new", "deals", "signed_amount", "quota_visits_new", "quota_effective_new"], "One rep's day: plan, share, results against quota.")
schemas["RhythmBoard"] = listof("RhythmRow", "The kick-off board of a day.", extra={"date": DATE(),
    "missing_plan": {"type": "array", "items": ID(), "description": "Reps without a morning plan."},
    "missing_review": {"type": "array", "items": ID(), "description": "Reps without an evening share."}})
schemas["RhythmBoard"]["required"] += ["date", "missing_plan", "missing_review"]
op("get", "/api/v1/rhythm", "rhythm", "Daily rhythm board: morning kick-off 早启动 and evening share 晚分享 per rep",
   "For each rep in view (reps: their team) on `as_of`: whether the plan and the share were written, the day's "
   "results and quotas. One page; next_cursor is null.",
   params=[AS_OF, TEAM_Q], ok_resp=ok("The board.", ref("RhythmBoard")), strict_query=True,
   e400=["invalid_field as_of / team_id"], e404="no such team in your scope")

# page views: one page's first screen in one answer
FIGS = {"visits": I(), "visits_new": I(), "effective_new": I(), "deals": I(), "signed_amount": I(FEN)}
FIGS_Q = dict(FIGS, quota_visits_new=I("Sum of the reps' quotas of new visits over the period."),
              quota_effective_new=I("Sum of the reps' quotas of effective new customers over the period."))
schemas["TeamViewRow"] = dict(schemas["RhythmRow"])
schemas["HelpBooking"] = obj({
    "rep_id": ID(), "review_id": N(ID("The share's id.")),
    "company_id": N(ID("The rep's company the help text names (its name, or at least its first four characters, "
                       "after dropping the legal form: the day's planned companies first, then the rep's own); null when none is named.")),
    "company_name": N(S()), "at": S("Proposed slot, local wall-clock time `YYYY-MM-DDTHH:MM` (the next working day, 10:00).", example="2026-11-28T10:00"),
    "stage": I("Proposed coaching stage.", 1, 4)}, ["rep_id", "review_id", "company_id", "company_name", "at", "stage"],
    "An evening share asks for help (`help_wanted`): the 陪访 booking to propose to a manager in one tap (POST /api/v1/bookings takes "
    "rep_id, company_id, at and stage as they are). Shown to managers, directors and admins only.")
schemas["TeamViewRow"]["properties"] = dict(schemas["RhythmRow"]["properties"], help_booking=N(ref("HelpBooking")))
schemas["TeamViewRow"]["required"] = schemas["RhythmRow"]["required"] + ["help_booking"]
schemas["TeamViewRow"]["description"] = "One rep's day (as RhythmRow) and, when the share asks for help, the proposed 陪访."
schemas["TeamView"] = obj({
    "as_of": DATE(), "timezone": S("The organisation's time zone (IANA)."),
    "board": obj({"items": {"type": "array", "items": ref("TeamViewRow")},
                  "missing_plan": {"type": "array", "items": ID(), "description": "Reps without a morning plan."},
                  "missing_review": {"type": "array", "items": ID(), "description": "Reps without an evening share."}},
                 ["items", "missing_plan", "missing_review"], "The day's board (GET /api/v1/rhythm)."),
    "trend": {"type": "array", "description": "The last 10 working days up to as_of, oldest first: the view's active reps' totals and quotas.",
              "items": obj({"day": DATE(), "visits_new": I(), "effective_new": I(),
                            "quota_visits_new": I(), "quota_effective_new": I()},
                           ["day", "visits_new", "effective_new", "quota_visits_new", "quota_effective_new"])},
    "month": obj(dict(FIGS, **{"from": DATE("First day of as_of's month."), "to": DATE("as_of.")}),
                 ["visits", "visits_new", "effective_new", "deals", "signed_amount", "from", "to"],
                 "The month so far (the funnel): sums of GET /api/v1/metrics/reps over [from, to]."),
    "targets": {"type": "array", "items": ref("TargetProgress"), "description": "Targets against results with pace (GET /api/v1/targets/progress)."},
    "teams": {"type": "array", "description": "Per team with reps in the view (each rep counted in their own team), by name: the day and the month so far.",
              "items": obj({"team_id": N(ID()), "name": N(S()), "parent_id": N(ID()), "manager_id": N(ID()),
                            "reps": I("Active reps."), "plans_missing": I(), "reviews_missing": I(),
                            "today": obj(FIGS_Q, list(FIGS_Q)), "month": obj(dict(FIGS_Q, attainment=NUM("effective_new / quota_effective_new; null without quota.")), list(FIGS_Q) + ["attainment"])},
                           ["team_id", "name", "parent_id", "manager_id", "reps", "plans_missing", "reviews_missing", "today", "month"])}},
    ["as_of", "timezone", "board", "trend", "month", "targets", "teams"],
    "The manager's Team page first screen in one answer.")
op("get", "/api/v1/views/team", "views", "The Team page in one answer: board, 10-day trend, month funnel, targets with pace, team totals",
   "For a manager, director or admin: the kick-off board of `as_of` (as GET /api/v1/rhythm, each share asking for help with a "
   "proposed 陪访 booking), the last ten working days, the month so far, the targets in view against results with pace (as GET "
   "/api/v1/targets/progress) and per-team totals (team vs team). The figures are those endpoints'; the scope is theirs "
   "(`team_id` narrows it, never widens it).",
   params=[AS_OF, TEAM_Q], ok_resp=ok("The view.", ref("TeamView")), strict_query=True,
   e400=["invalid_field as_of / team_id"], e403="forbidden: the team view is for managers, directors and admins",
   e404="no such team in your scope")

schemas["Comment"] = obj({"id": ID(), "user_id": ID(), "display_name": S(), "body": S(mx=2000), "at": TIME()},
                         ["id", "user_id", "display_name", "body", "at"])
schemas["FeedItem"] = obj({"kind": S("`review`: an evening share; `deal`: a signed deal.", enum=["review", "deal"]),
    "id": ID("The review's or deal's id (for comments and likes)."), "date": DATE(),
    "item": obj({"rep_id": ID(), "display_name": S(), "date": DATE(),
                 "wins": S(), "problems": S(), "help_wanted": S(), "notes": S(),
                 "company_id": ID(), "company_name": S(), "amount": I(FEN),
                 "help_booking": ref("HelpBooking")}, ["rep_id", "display_name", "date"],
                "The share (wins, problems, help_wanted, notes) or the deal (company_id, company_name, amount in fen)."),
    "comments": {"type": "array", "items": ref("Comment")}, "likes": I(None, 0), "liked": B("You liked it.")},
    ["kind", "id", "date", "item", "comments", "likes", "liked"], "An entry of the team feed.")
schemas["FeedItemList"] = listof("FeedItem")
op("get", "/api/v1/feed", "rhythm", "Team feed: evening shares 晚分享 and signed deals, with comments and likes",
   "Newest first (day, then time; shares before deals at the same moment), over the `days` days up to `as_of`, for the "
   "reps in view (reps: their team). Paged: follow `next_cursor` for older entries.",
   params=[AS_OF, TEAM_Q, P("days", "query", I(None, 1, 31, default=7), "How many days back (1–31, default 7)."),
           LIMIT(1, 200, 50), CURSOR],
   ok_resp=ok("Feed entries.", ref("FeedItemList")), strict_query=True,
   e400=["invalid_field as_of / team_id / days / limit / cursor"], e404="no such team in your scope")
KIND_PATH = P("kind", "path", S(enum=["review", "deal"]), "What is commented or liked (another value answers 404).")
FEED_ID = P("id", "path", ID(), "The review's or deal's id (its rep must be in your scope or team; 404 otherwise).")
op("post", "/api/v1/feed/{kind}/{id}/comments", "rhythm", "Comment on a share or a deal",
   params=[KIND_PATH, FEED_ID], ok_status="201",
   ok_resp=ok("Created.", obj({"id": ID(), "kind": S(enum=["review", "deal"]), "target_id": ID(), "user_id": ID(), "body": S()},
                              ["id", "kind", "target_id", "user_id", "body"])),
   body=body({"body": S("The comment.", 2000, minLength=1)}, ["body"]),
   e404="no such review or deal visible to you")
op("post", "/api/v1/feed/{kind}/{id}/like", "rhythm", "Like or unlike a share or a deal (toggle)",
   "Toggles the caller's like. No request body.", params=[KIND_PATH, FEED_ID],
   ok_resp=ok("The new state.", obj({"kind": S(enum=["review", "deal"]), "target_id": ID(), "liked": B("You like it now."),
                                     "likes": I("Likes in total.", 0)}, ["kind", "target_id", "liked", "likes"])),
   e404="no such review or deal visible to you")

RANGE_Q = [P("from", "query", DATE(), "First day (default: 89 days before `to`)."),
           P("to", "query", DATE(), "Last day (default: as_of); at most 400 days after from."), TEAM_Q, AS_OF]
RANGE_400 = ["invalid_field from / to (not dates, to before from, more than 400 days) / team_id / as_of"]
TC = {"type": "array", "items": obj({"text": S(), "count": I()}, ["text", "count"]), "description": "Top 10, most frequent first."}
schemas["Discovery"] = obj({"from": DATE(), "to": DATE(), "visits_with_discovery": I("Visits that recorded any discovery text."),
    "interest_reasons": TC, "attractions": TC, "concerns": TC},
    ["from", "to", "visits_with_discovery", "interest_reasons", "attractions", "concerns"],
    "What the meetings found: why customers are interested, what attracts them, what worries them — to adjust the pitch.")
op("get", "/api/v1/insights/discovery", "insights", "Discovery insights: why interested, what attracts, what worries",
   "Most frequent interest reasons, attraction points and concerns logged on visits by the reps in view (reps: themselves).",
   params=RANGE_Q, ok_resp=ok("Insights.", ref("Discovery")), strict_query=True, e400=RANGE_400, e404="no such team in your scope")
CONV = {"effective": I("Effective new customers 有效新客户 (qualified in the range)."), "signed": I("Of those, signed."),
        "conversion": NUM("signed / effective; null when no effective customer.")}
CONV_REQ = ["effective", "signed", "conversion"]
schemas["Conversion"] = obj({"from": DATE(), "to": DATE(), "total": obj(CONV, CONV_REQ),
    "by_source": {"type": "array", "items": obj(dict(CONV, source=S()), CONV_REQ + ["source"])},
    "by_industry": {"type": "array", "items": obj(dict(CONV, industry=S()), CONV_REQ + ["industry"])},
    "by_rep": {"type": "array", "items": obj(dict(CONV, rep_id=ID(), display_name=S()), CONV_REQ + ["rep_id", "display_name"])}},
    ["from", "to", "total", "by_source", "by_industry", "by_rep"], "Effective → signed conversion, overall and by lead source, industry and rep.")
op("get", "/api/v1/insights/conversion", "insights", "Conversion: effective 有效 → signed, by source, industry and rep",
   "Raise conversion by controlling the source and quality of leads. Counts companies that became effective in the range.",
   params=RANGE_Q, ok_resp=ok("Conversion.", ref("Conversion")), strict_query=True, e400=RANGE_400, e404="no such team in your scope")

FIT_REP = obj({"rep_id": ID(), "display_name": S(), "selling_style": S(), "trials": I("Effective customers with a payer of this style."),
               "wins": I("Of those, signed."), "win_rate": {"type": "number", "description": "Smoothed win rate (wins + 2·prior) / (trials + 2)."}},
              ["rep_id", "display_name", "selling_style", "trials", "wins", "win_rate"])
schemas["Fit"] = obj({"company_id": ID(), "payer_style": N(S("Leadership style of the company's payer contact; null if unknown.", enum=STYLES[1:])),
    "payer_style_name": N(S("The style's name in the caller's language.")),
    "prior": {"type": "number", "description": "Prior win rate for the style (or overall)."},
    "suggested_rep": N(FIT_REP), "reps": {"type": "array", "items": FIT_REP, "description": "Best fit first."}, "message": S(LANG.strip())},
    ["company_id", "payer_style", "prior", "suggested_rep", "reps", "message"],
    "Rep–buyer fit: which rep closes best with buyers of this payer's leadership style.")
op("get", "/api/v1/companies/{id}/fit", "companies", "Rep–buyer fit: the best-fitting rep for this company's payer",
   "Ranks the reps in view by smoothed win rate with payers of the company's payer style; suggests none until the payer's style is recorded.",
   params=[ID_PATH("company")], ok_resp=ok("Fit.", ref("Fit")), e404="no such company visible to you")

VALUES = [("customer_first", "客户第一 customer first"), ("teamwork", "团队合作 teamwork"), ("embrace_change", "拥抱变化 embrace change"),
          ("integrity", "诚信 integrity"), ("passion", "激情 passion"), ("dedication", "敬业 dedication")]
VPROPS = {k: I(d + ", 1–5.", 1, 5) for k, d in VALUES}
schemas["ValuesAssessment"] = obj(dict({"id": ID(), "user_id": ID(), "period": S(mx=20), "assessor_id": ID(), "comment": S()}, **VPROPS,
    average={"type": "number", "description": "Average of the six, 1–5."}),
    ["id", "user_id", "period", "assessor_id", "comment"] + [k for k, _ in VALUES] + ["average"],
    "A values assessment on Alibaba's six values.")
schemas["ValuesAssessmentList"] = listof("ValuesAssessment")
op("get", "/api/v1/values", "people", "List values assessments of a user",
   "Newest first (one page).", params=[P("user_id", "query", ID(), "Whose (default: you; in your scope).")],
   ok_resp=ok("Assessments.", ref("ValuesAssessmentList")), strict_query=True, e400=["invalid_field user_id"],
   e404="no such user in your scope")
op("post", "/api/v1/values", "people", "Assess a user on the six values (1–5 each)",
   "Managers and up, for users in their scope other than themselves. The latest assessment feeds the talent matrix.",
   ok_status="201", ok_resp=ok("Created.", ref("ValuesAssessment")),
   body=body(dict({"user_id": ID(), "period": S("The period assessed, e.g. 2026-Q4.", 20)}, **VPROPS, comment=S(mx=2000)),
             ["user_id", "period"] + [k for k, _ in VALUES]),
   e403="forbidden: values assessments are made by managers", e404="no such user in your scope (or yourself)")
TRAIN = {"user_id": ID(), "kind": S("Training on values, mindset or skills.", enum=["values", "mindset", "skills"]),
         "title": S(mx=200), "date": DATE(), "hours": {"type": "number", "minimum": 0, "maximum": 200}, "notes": S(mx=2000)}
schemas["Training"] = obj(dict(TRAIN, id=ID(), created_by=N(ID("Who recorded it (in lists)."))),
                          ["id", "user_id", "kind", "title", "date", "hours", "notes"], "A training record.")
schemas["TrainingList"] = listof("Training")
op("get", "/api/v1/training", "people", "List training records",
   "Of one user, or of the reps in view (reps: themselves). One page.",
   params=[P("user_id", "query", ID(), "Only this user (in your scope)."), TEAM_Q],
   ok_resp=ok("Records.", ref("TrainingList")), strict_query=True, e400=["invalid_field user_id / team_id"],
   e404="no such user or team in your scope")
op("post", "/api/v1/training", "people", "Record a training (values, mindset, skills)",
   "Managers and up, for users in their scope.", ok_status="201", ok_resp=ok("Created.", ref("Training")),
   body=body(dict(TRAIN, date=DATE("Default today."), title=S(mx=200, minLength=1)), ["user_id", "kind", "title"]),
   e400=["invalid_field kind / hours / date"], e403="forbidden: training records are kept by managers",
   e404="no such user in your scope")
schemas["TalentRow"] = obj({"rep_id": ID(), "display_name": S(), "team_id": N(ID()),
    "performance": {"type": "number", "description": "Attainment of the effective-new quota over the last 60 working days (1.0 = on quota): effective_new / quota_effective_new (0 without quota)."},
    "effective_new": I("Effective new customers over those 60 working days (the performance's numerator)."),
    "quota_effective_new": I("The quota of effective new customers over those days (the denominator)."),
    "values": NUM("Average of the latest values assessment (1–5); null when not assessed."),
    "category": N(S("Talent matrix: `star` 明星, `wild_dog` 野狗 (results without values), `white_rabbit` 小白兔 (values without results), "
                    "`ox` 牛 (middle), `dog` 狗; null when not assessed.", enum=["star", "wild_dog", "white_rabbit", "ox", "dog"]))},
    ["rep_id", "display_name", "team_id", "performance", "effective_new", "quota_effective_new", "values", "category"])
schemas["TalentMatrix"] = listof("TalentRow", "The talent matrix: performance × values.",
                                 extra={"as_of": DATE(), "working_days": I("Working days of the performance window (60).")})
op("get", "/api/v1/talent", "people", "Talent matrix: performance × values (明星, 野狗, 小白兔, 牛, 狗)",
   "Managers and up.", params=[AS_OF, TEAM_Q], ok_resp=ok("The matrix.", ref("TalentMatrix")), strict_query=True,
   e400=["invalid_field as_of / team_id"], e403="forbidden: the talent matrix is for managers", e404="no such team in your scope")

# accompanied-visit bookings 陪访预约 (src/app/bookings.cpp)
STAGE_DESC = ("Coaching stage of the 16-character rule 16字法则: 1 我做你看 I do, you watch; 2 我说你听 I say, you listen; "
              "3 你做我看 you do, I watch; 4 你说我听 you say, I listen.")
BOOK_STATUS = S("`scheduled` (upcoming or not yet logged), `done` (the accompanied visit was logged, or the manager marked it "
                "done) or `cancelled`.", enum=["scheduled", "done", "cancelled"])
BOOK_AT = ("When, a time in the organisation's zone: `2026-11-30T14:00` (or with seconds) is read in the organisation's "
           "time zone; ISO 8601 with an offset (`2026-11-30T14:00:00+08:00`) is taken as is. Stored in UTC; not in the "
           "past, at most a year ahead.")
schemas["Booking"] = obj({
    "id": ID(), "rep_id": ID("The rep the manager accompanies."), "rep_name": S(),
    "manager_id": ID("Who booked it and comes along (the companion of the accompanied visit)."), "manager_name": S(),
    "company_id": ID(), "company_name": N(S("Null when the company is no longer visible to you (e.g. moved to another rep) or was deleted.")),
    "at": TIME("When, in the organisation's zone."), "day": DATE("Local date of `at` in the organisation's zone."),
    "stage": I(STAGE_DESC, 1, 4), "stage_name": S("The stage in words (Chinese, or English with `Accept-Language: en`)."),
    "note": S(mx=1000), "status": BOOK_STATUS,
    "visit_id": N(ID("The accompanied visit that completed it.")), "done_at": N(TIME("When it was marked done.")),
    "created_by": ID(), "version": I("Optimistic-concurrency version; PATCH may send it (a stale one gets 409 stale_version).", 1),
    "created_at": TIME(), "updated_at": TIME()},
    ["id", "rep_id", "rep_name", "manager_id", "manager_name", "company_id", "company_name", "at", "day", "stage", "stage_name",
     "note", "status", "visit_id", "done_at", "created_by", "version", "created_at", "updated_at"],
    "An accompanied visit 陪访 booked ahead by a manager with one of their reps (the coaching loop).")
schemas["BookingList"] = listof("Booking")
op("get", "/api/v1/bookings", "bookings", "List accompanied-visit bookings 陪访预约",
   "Reps see their own bookings; managers and directors those of the reps in their teams and those they booked; admins "
   "all. Soonest first (by `at`, then id), paged with `limit` and `cursor`. Without `status`, cancelled bookings are "
   "left out.",
   params=[P("from", "query", DATE(), "Bookings on or after this local day."), P("to", "query", DATE(), "Bookings up to and including this local day."),
           P("rep_id", "query", ID(), "Only this rep's (in your scope; 404 otherwise)."),
           P("status", "query", S(enum=["scheduled", "done", "cancelled", "all"]), "Only this status; `all` includes cancelled ones."),
           LIMIT(1, 200, 50), CURSOR],
   ok_resp=ok("Bookings.", ref("BookingList")), strict_query=True,
   e400=["invalid_field from / to / rep_id / status / limit / cursor"], e404="no such rep in your scope")
op("post", "/api/v1/bookings", "bookings", "Book an accompanied visit 陪访 with a rep",
   "Managers, directors and admins book for an active rep in their scope (not themselves), at a company the rep owns "
   "or may see (their own, or the public pool 公海). The caller is the booking's manager. Logging the accompanied "
   "visit (POST /api/v1/visits with kind `accompanied`, companion_id = the manager, that company, within 14 days "
   "before or 30 days after the booked time) marks the nearest scheduled booking done and links the visit; deleting "
   "that visit makes it scheduled again.",
   ok_status="201", ok_resp=ok("Booked.", ref("Booking")),
   body=body({"rep_id": ID(), "company_id": ID(), "at": TIME(BOOK_AT, maxLength=40), "stage": I(STAGE_DESC, 1, 4),
              "note": S("What to work on.", 1000)}, ["rep_id", "company_id", "at", "stage"]),
   e400=["invalid_field rep_id (not an active rep in your teams) / company_id (not the rep's nor in the pool) / at (malformed, in the past, more than a year ahead) / stage (1–4) / note"],
   e403="forbidden: reps do not book accompanied visits")
op("get", "/api/v1/bookings/{id}", "bookings", "Get a booking", params=[ID_PATH("booking")],
   ok_resp=ok("The booking.", ref("Booking")), e404="no such booking visible to you")
op("patch", "/api/v1/bookings/{id}", "bookings", "Reschedule, change, complete or cancel a booking",
   "Managers and up whose scope includes the booking's rep (or who booked it). `at` reschedules (same rules as when "
   "booking), `stage` and `note` change it, `status` `done` marks it done (optionally linking `visit_id`, an "
   "accompanied visit of the rep at the company), `cancelled` cancels it. Only a scheduled booking can change "
   "(409 otherwise). A request that changes nothing answers the booking as it is.",
   params=[ID_PATH("booking")], ok_resp=ok("The booking.", ref("Booking")),
   body=body({"at": TIME(BOOK_AT, maxLength=40), "stage": I(STAGE_DESC, 1, 4), "note": S(mx=1000),
              "status": S(enum=["scheduled", "done", "cancelled"]),
              "visit_id": ID("With status `done`: the accompanied visit that completed it."),
              "version": I("The version you read; a stale one gets 409.", 1)}),
   e400=["invalid_field at / stage / note / status / visit_id"], e403="forbidden: a rep does not change bookings",
   e404="no such booking visible to you", e409=[STALE, "illegal_transition (the booking is done or cancelled)"])
op("delete", "/api/v1/bookings/{id}", "bookings", "Cancel a booking",
   "Sets the status to `cancelled` (the booking stays in the history: GET ?status=cancelled). Cancelling a cancelled "
   "booking changes nothing.",
   params=[ID_PATH("booking")], ok_status="204", ok_resp=ok("Cancelled."),
   e403="forbidden: a rep does not cancel bookings", e404="no such booking visible to you",
   e409=["illegal_transition (a done booking cannot be cancelled)"])

# notifications (SPEC §7; src/app/notify_api.cpp)
NOTIF_KINDS = ["plan_missing", "plan_missing_digest", "review_missing", "review_missing_digest", "alert_digest",
               "booking_created", "booking_changed", "booking_cancelled", "feed_comment", "feed_like",
               "pool_release_soon", "nurture_due", "behind_pace", "duplicate_attempt", "nudge"]
CH_EVENTS = ["plan_missing", "review_missing", "alert_digest", "booking", "feed_reaction", "pool_release_soon",
             "nurture_due", "behind_pace", "duplicate_attempt"]
schemas["Notification"] = obj({
    "id": ID(), "kind": S("What happened.", enum=NOTIF_KINDS), "title": S("A short title." + LANG),
    "message": S("What a good manager would say about it." + LANG), "link": S("A path of the web UI to open, e.g. `/customers/12`."),
    "created_at": TIME(), "read_at": N(TIME("When you marked it read; null while unread."))},
    ["id", "kind", "title", "message", "link", "created_at", "read_at"], "An in-app notification (the bell).")
schemas["NotificationList"] = listof("Notification", "Your notifications, newest first.",
                                     extra={"unread_count": I("Your unread notifications (all pages).")})
op("get", "/api/v1/notifications", "notifications", "Your notifications (the bell)",
   "Only your own, newest first. Produced where their cause happens (a booking made, changed or cancelled; a comment or like "
   "on your share or deal; someone trying to create your customer 撞单; a manager's nudge) and by the reminders inside "
   "`tiejun serve` at the organisation's local times on working days (plan_missing at 09:30, review_missing at 19:00 with "
   "a digest to the team's manager; alert_digest, pool_release_soon, nurture_due, behind_pace in the morning), once a day each.",
   params=[P("unread", "query", B(), "Only unread ones (`true`/`false`)."), LIMIT(1, 100, 20), CURSOR],
   ok_resp=ok("Notifications.", ref("NotificationList")), strict_query=True,
   e400=["invalid_field unread / limit / cursor"])
op("post", "/api/v1/notifications/read", "notifications", "Mark notifications read",
   "`ids` (yours; others' are ignored) or `all: true`.", ok_status="204", ok_resp=ok("Marked."),
   body=body({"ids": {"type": "array", "items": ID(), "maxItems": 500}, "all": B("Every unread notification of yours.")}),
   e400=["invalid_field ids / all (give one of them)"])
CH_PROPS = {"kind": S("`dingtalk` (DingTalk custom group robot: markdown, signed with `timestamp` and `sign` when a secret is "
                      "set), `wecom` (WeCom group robot: markdown, `key` in the URL) or `webhook` (JSON with the event `id`, "
                      "`X-Tiejun-Signature` = hex HMAC-SHA256 of the body keyed with the secret).", enum=["dingtalk", "wecom", "webhook"]),
            "name": S(mx=100), "url": S("The robot's webhook address (DingTalk: with `access_token=`; WeCom: with `key=`), "
                                        "or the webhook URL; http or https.", 2000),
            "secret": S("Write-only: DingTalk's signing secret (加签) or the webhook's HMAC key (required for webhooks). "
                        "Sealed with the server's key; never returned or logged. null clears it.", 200, format="password"),
            "team_id": N(ID("Only events about this team's subtree; null: the whole organisation.")),
            "events": N({"type": "array", "items": S(enum=CH_EVENTS), "description": "Events this channel takes; null or omitted: all."}),
            "active": B("Paused channels keep their deliveries pending.")}
schemas["Channel"] = obj(dict({k: v for k, v in CH_PROPS.items() if k != "secret"},
    id=ID(), url=S("The address with its query values cut to their last 4 characters (the token is a credential)."),
    has_secret=B("A secret is set (it is never returned)."), version=I(None, 1), created_at=TIME(), updated_at=TIME()),
    ["id", "kind", "name", "url", "team_id", "events", "active", "has_secret", "version", "created_at", "updated_at"],
    "A group robot or webhook that takes the organisation's (or a team's) notification events.")
schemas["ChannelList"] = listof("Channel")
ADMIN_403 = "forbidden: only admins manage channels and deliveries"
op("get", "/api/v1/channels", "notifications", "List notification channels (admins)",
   ok_resp=ok("Channels.", ref("ChannelList")), strict_query=True, e403=ADMIN_403)
op("post", "/api/v1/channels", "notifications", "Add a DingTalk / WeCom robot or a webhook (admins)",
   "The secret is write-only.", ok_status="201", ok_resp=ok("Created.", ref("Channel")),
   body=body(CH_PROPS, ["kind", "url"]),
   e400=["invalid_field kind / url (not http(s); a DingTalk URL without access_token=, a WeCom URL without key=) / secret "
         "(required for webhooks) / team_id / events / active"], e403=ADMIN_403)
op("patch", "/api/v1/channels/{id}", "notifications", "Change a channel (admins)",
   "Only the fields given change; `secret` replaces the secret (null clears it).", params=[ID_PATH("channel")],
   ok_resp=ok("The channel.", ref("Channel")),
   body=body(dict(CH_PROPS, version=I("The version you read; a stale one gets 409.", 1))),
   e400=["invalid_field kind / url / secret / team_id / events / active"], e403=ADMIN_403, e404="no such channel",
   e409=[STALE])
op("delete", "/api/v1/channels/{id}", "notifications", "Delete a channel (admins)",
   "Its pending deliveries become `dead` (\"channel deleted\"); the history stays.", params=[ID_PATH("channel")],
   ok_status="204", ok_resp=ok("Deleted."), e403=ADMIN_403, e404="no such channel")
schemas["Delivery"] = obj({
    "id": ID(), "event_id": S("The event's id, the same in every channel's delivery and in a webhook body: receivers drop repeats by it."),
    "channel_id": ID(), "event": S("The channel event.", enum=CH_EVENTS), "kind": S(enum=NOTIF_KINDS),
    "title": S(), "text": S("The message as posted (Chinese)."),
    "status": S("`pending` (to be sent; retried with exponential backoff and jitter), `sent` (the receiver accepted it) or "
                "`dead` (still failing 24 hours after the first try, or its channel was deleted).", enum=["pending", "sent", "dead"]),
    "attempts": I("Requests made so far.", 0), "last_error": S("Why the last attempt failed (no URL or secret in it)."),
    "next_attempt_at": N(TIME("When it is tried next (pending only).")), "created_at": TIME(), "sent_at": N(TIME())},
    ["id", "event_id", "channel_id", "event", "kind", "title", "text", "status", "attempts", "last_error", "next_attempt_at",
     "created_at", "sent_at"], "An outbox entry: one event for one channel, written in the transaction of its cause.")
schemas["DeliveryList"] = listof("Delivery", "Deliveries, newest first.")
op("get", "/api/v1/deliveries", "notifications", "The delivery outbox (admins)",
   params=[P("channel_id", "query", ID(), "Only this channel's."),
           P("status", "query", S(enum=["pending", "sent", "dead"]), "Only this status."), LIMIT(1, 200, 50), CURSOR],
   ok_resp=ok("Deliveries.", ref("DeliveryList")), strict_query=True,
   e400=["invalid_field channel_id / status / limit / cursor"], e403=ADMIN_403)
op("post", "/api/v1/deliveries/{id}/retry", "notifications", "Retry a delivery now (admins)",
   "A dead (or pending) delivery becomes pending, due now, with a new 24-hour retry window.", params=[ID_PATH("delivery")],
   ok_resp=ok("The delivery.", ref("Delivery")), e403=ADMIN_403, e404="no such delivery",
   e409=["already_sent (the receiver has it)", "channel_deleted"])
op("post", "/api/v1/alerts/nudge", "notifications", "Nudge a rep about an alert",
   "Managers, directors and admins, for an active rep in their scope (not themselves): the rep gets a notification "
   "(kind `nudge`) naming the alert and the company. At most one nudge per rep, alert kind and company a day "
   "(`sent: false` for a repeat).", ok_resp=ok("Sent (or already sent today).", obj(
       {"sent": B(), "rep_id": ID(), "kind": S(), "company_id": N(ID())}, ["sent", "rep_id", "kind", "company_id"])),
   body=body({"rep_id": ID(), "kind": S("The alert kind (GET /api/v1/alerts `kind`).", 40),
              "company_id": ID("The alert's company (visible to you).")}, ["rep_id", "kind"]),
   e400=["invalid_field rep_id / kind / company_id"], e403="forbidden: nudges are sent by managers",
   e404="no such rep in your scope, or no such company visible to you")

# Keep only operations that are routes in src/http/api.cpp; fail on routes without docs.
import re as _re

# import / export (src/app/import.cpp, src/app/export.cpp)
ROWS = {"type": "array", "items": S(), "description": "Row numbers as Excel shows them (header = row 1), in ranges like `2-9`."}
schemas["ImportReport"] = obj({
    "dry_run": B(), "mode": S(enum=["all_or_nothing", "per_row"]),
    "applied": B("Something was written: false on a dry run, and for all_or_nothing when a row was rejected (then nothing is)."),
    "rows": I("Data rows (blank rows not counted): created + updated + unchanged + rejected."), "blank_rows": I(),
    "created": I("Rows that create a company."), "updated": I("Rows that change a company or add/change its contact."),
    "unchanged": I("Rows that match a company (normalised name) and change nothing."), "rejected": I(),
    "imported": I("created + updated + unchanged when applied, else 0; imported + rejected = rows."),
    "companies_created": I(), "companies_updated": I(), "contacts_created": I(), "contacts_updated": I(),
    "rejects": {"type": "array", "items": obj({"row": I(), "reasons": {"type": "array", "items": S()}}), "description": "First 1000."},
    "updates": {"type": "array", "items": obj({"row": I(), "company_id": N(ID()), "name": S(), "changes": {"type": "array", "items": S()}}),
                "description": "First 1000 updated rows with the fields they change."},
    "row_ranges": obj({k: ROWS for k in ["created", "updated", "unchanged", "rejected"]}),
    "file": obj({"name": S(), "format": S(enum=["csv", "xlsx"]), "encoding": S(enum=["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030"]),
                 "delimiter": N(S()), "sheet": N(S()), "header_row": I()}),
    "columns": {"type": "array", "items": obj({"column": S(), "header": S(), "field": N(S()), "unit": S(enum=["yuan", "10k_yuan", "fen"]), "note": S()})},
    "warnings": {"type": "array", "items": S()}},
    ["dry_run", "mode", "applied", "rows", "created", "updated", "unchanged", "rejected", "imported", "rejects", "file", "columns"],
    "What an import did (or, on a dry run, would do), row by row.")
_imp = op("post", "/api/v1/imports", "import_export", "Import companies (one contact per row) from CSV or XLSX",
   "The body is the file itself (any Content-Type), told apart by content: XLSX (first sheet) or CSV in UTF-8, UTF-8 with BOM, "
   "UTF-16 with BOM or GBK/GB18030, delimiter , ; tab or | (sniffed, or Excel's `sep=` line), quoted fields with newlines. "
   "The header row (the first of the first 20 rows naming the company column) maps Chinese or English names: 公司名称/name, "
   "行业/industry, 行业排名/industry_rank, 地区/region, 预算/budget_capacity, 来源/source, 竞品/competitor, 负责人/owner (username or "
   "unique display name), 联系人/contact_name, 职务/contact_title, 是否买单人/contact_is_payer (是/否 Y/N true/false 1/0), "
   "领导风格/contact_style, 电话/contact_phone. Budgets: a bare number is yuan (预算（元）); a header with 万元 means 10,000 yuan, "
   "with 分/fen fen; a cell may say 50万 or 1200元; stored as integer fen. Rows match companies by normalised name (full-/half-"
   "width, spaces, 有限责任公司 = 有限公司): nothing is duplicated and a re-import changes nothing. An empty cell leaves the field "
   "as it was; a column the file lacks is untouched; names are never changed. A rep imports only their own companies; an owner "
   "column is for managers within their teams; a pool company must be claimed first. Written to the audit log. Up to the "
   "server's body limit; the CLI (`tiejun import companies FILE`) has no such limit.",
   ok_resp=ok("The report (also for all_or_nothing with rejected rows: `applied` false, nothing written).", ref("ImportReport")),
   params=[P("dry_run", "query", B(default=False), "Report only; write nothing."),
           P("mode", "query", S(enum=["all_or_nothing", "per_row"], default="all_or_nothing"),
             "all_or_nothing: any rejected row and nothing is written; per_row: the good rows are written."),
           P("mapping", "query", S(), "Columns to fields, overriding the automatic names: JSON `{\"客户全称\":\"name\",\"备注\":null}` "
             "or `客户全称:name,备注:ignore`; a key may be a column letter."),
           P("owner", "query", S(), "Username owning new companies without an owner cell (default: you)."),
           P("filename", "query", S(mx=255), "The file's name, for the report and the audit log."),
           P("progress_id", "query", S(), "A name the client picks (8–64 letters, digits, - or _) to follow this import "
             "with GET /api/v1/imports/progress while it runs.")],
   strict_query=True,
   e400=["empty_file", "invalid_csv / invalid_encoding / invalid_xlsx (broken zip, zip bomb, DOCTYPE, limits) / unsupported_file (.xls)",
         "no_name_column", "invalid_mapping", "invalid_field dry_run / mode / mapping / owner"],
   extra_resp={"413": {"$ref": "#/components/responses/TooLarge"},
               "429": err("too_many_uploads: a body over 8 MiB while another big upload of yours (or too many in all) is under way.")})
_BIN = {"schema": {"type": "string", "format": "binary"}}
schemas["ImportProgress"] = obj({
    "id": S(), "phase": S("upload (received, not started), read, check, write, index, commit, then done or failed.",
                          enum=["upload", "read", "check", "write", "index", "commit", "done", "failed"]),
    "done": I("Rows done in this phase (0 when the phase does not count rows)."), "total": I("Rows of this phase (0: not counted)."),
    "finished": B(), "elapsed_ms": I()}, ["id", "phase", "done", "total", "finished", "elapsed_ms"],
    "Where a running import is, for a progress bar.")
op("get", "/api/v1/imports/progress", "import_export", "Progress of one of your imports",
   "The phase and rows done of the import you started with `progress_id`, while it runs and for 10 minutes after it ends. "
   "Kept in memory: only you see it, and a server restart forgets it.",
   params=[P("id", "query", S(), "The progress_id given to POST /api/v1/imports.")],
   ok_resp=ok("Where the import is.", ref("ImportProgress")), strict_query=True,
   e400=["invalid_field id"], e404="no import of yours with that id")
_imp["requestBody"] = {"required": True, "content": {"text/csv": _BIN, "application/octet-stream": _BIN,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _BIN}}
op("get", "/api/v1/exports/{kind}", "import_export", "Export companies, contacts, visits or deals (CSV or XLSX)",
   "The companies you may see, filtered like the list (status, industry, owner_id, q), and their contacts, visits or deals "
   "(from/to: local days). CSV: UTF-8 with BOM, CRLF, so Excel opens Chinese text; a cell starting with = + - @ tab or CR gets "
   "a leading apostrophe (an import takes it off again). XLSX: text is always a string cell, numbers are numbers. Headers in "
   "Chinese, or English with Accept-Language: en; money in yuan with two decimals. Importing an export changes nothing. Audited.",
   ok_resp={"description": "The file, as an attachment; X-Export-Rows: the number of rows.",
            "headers": {"Content-Disposition": {"schema": S(), "description": "attachment; filename=\"companies-2026-11-27.xlsx\""},
                        "X-Export-Rows": {"schema": I()}},
            "content": {"text/csv": _BIN, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _BIN}},
   params=[P("kind", "path", S(enum=["companies", "contacts", "visits", "deals"]), "What to export (another value: 404)."),
           P("format", "query", S(enum=["csv", "xlsx"], default="csv"), "File format."),
           P("status", "query", S(), "Companies in this status."), P("industry", "query", S(), "Companies of this industry."),
           P("owner_id", "query", S(), "Companies of this owner (id), or `pool`."), P("q", "query", S(mx=200), "Name or contact contains."),
           P("from", "query", DATE(), "Visits and deals from this day."), P("to", "query", DATE(), "Visits and deals up to this day.")],
   strict_query=True, e400=["invalid_field format / status / owner_id / from / to (from/to only for visits and deals)"],
   e404="unknown export kind")

# The route table (src/http/api.cpp): each add("METHOD", "/pattern", access, status, {flags}, fn)
# declares the route's access (kPublic, kUser or at_least(roles::kRule), whose minimum role
# src/app/roles.h gives) and its flags (.idempotent = true, ...).
_src = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "../../src")
_rules = dict(_re.findall(r'inline constexpr RoleRule (k\w+)\{Role::(\w+),', open(_os.path.join(_src, "app/roles.h")).read()))
_decl = _re.findall(r'add\("([A-Z]+)",\s*"([^"]+)",\s*(kPublic|kUser|at_least\(roles::(k\w+)\)),\s*\d+,\s*\{([^}]*)\}',
                    open(_os.path.join(_src, "http/api.cpp")).read())
if len(_decl) != len(_re.findall(r'\badd\("[A-Z]+",', open(_os.path.join(_src, "http/api.cpp")).read())):
    sys.exit("a route of src/http/api.cpp is not declared as add(method, pattern, access, status, {flags}, fn)")
_routes = {(m, p) for m, p, *_ in _decl}
MIN_ROLE = {(m, p): (None if acc == "kPublic" else "rep" if acc == "kUser" else _rules[rule].lower())
            for m, p, acc, rule, _f in _decl}
IDEMPOTENT_ROUTES = [(m.lower(), p) for m, p, _a, _r, f in _decl if _re.search(r'\.idempotent\s*=\s*true', f)]
for _p in list(paths):
    for _m in list(paths[_p]):
        if (_m.upper(), _p) not in _routes:
            print("not routed (yet), left out:", _m.upper(), _p, file=sys.stderr); del paths[_p][_m]
    if not paths[_p]: del paths[_p]
_missing = [f"{m} {p}" for m, p in sorted(_routes) if m.lower() not in paths.get(p, {})]
if _missing: sys.exit("routes without documentation: " + ", ".join(_missing))
# x-min-role: the route's minimum role as the route table declares it (rep: any logged-in user;
# a lower role gets 403 forbidden); none on the public routes. tests/security/matrix.test.mjs
# checks it against the server's answers, tests/unit/openapi_test.cpp against http::routes().
for _p, _ms in paths.items():
    for _m, _o in _ms.items():
        _r = MIN_ROLE[(_m.upper(), _p)]
        if (_r is None) != (_o["security"] == []):
            sys.exit(f"{_m.upper()} {_p}: the route table and the documentation disagree on whether it needs a login")
        if _r: _o["x-min-role"] = _r
# Drop schemas nothing routed refers to (drafts for views not routed yet), keeping the core ones.
_keep = {"User", "Team", "Company", "Contact", "Visit", "Deal", "Target", "Settings", "Plan", "Review", "RepMetrics", "AuditEntry", "Error"}
_todo = _re.findall(r'#/components/schemas/(\w+)', json.dumps(paths)) + sorted(_keep)
_seen = set()
while _todo:
    _n = _todo.pop()
    if _n in _seen: continue
    _seen.add(_n)
    _todo += _re.findall(r'#/components/schemas/(\w+)', json.dumps(schemas[_n]))
_keep |= _seen
for _n in list(schemas):
    if _n not in _keep: del schemas[_n]
# Idempotency-Key (issue 15 part 5): the creates and other non-repeatable writes that take it
# (src/http/api.cpp: the routes declared .idempotent = true); not the routes whose body or answer holds a secret.
IDEMPOTENT = IDEMPOTENT_ROUTES
IDEMPOTENCY_KEY = P("Idempotency-Key", "header", S(None, 255, pattern="^[!-~]{1,255}$"),
    "Optional. A key the client makes once per intended request (a UUID), to send the request again safely (a "
    "phone that lost its connection, a retried send): the server remembers (your user, key) for 24 hours, with the "
    "first answer. The same key with the same request (method, route, path and body; the order of body keys does "
    "not matter) answers that first answer — same status and body, header `Idempotent-Replayed: true` — without "
    "doing the work again; concurrent sends with one key do it once (the key is written in the transaction of the "
    "work). A request refused before anything was saved (e.g. 400 invalid_field) does not use its key up. Keys are "
    "per user: another user's request with the same key is that user's own request. Not taken by routes whose "
    "request or answer holds a secret (login, tokens, passwords, users, channels): there the header is ignored.")
for _m, _p in IDEMPOTENT:
    _o = paths[_p][_m]
    _o.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    _o["responses"]["400"]["description"] = _o["responses"]["400"]["description"].rstrip(".") + "; invalid_idempotency_key (the Idempotency-Key header is not 1-255 printable ASCII characters)."
    _ok = next(k for k in _o["responses"] if k.startswith("2"))
    if isinstance(_o["responses"][_ok], dict) and "$ref" not in _o["responses"][_ok]:
        _o["responses"][_ok].setdefault("headers", {})["Idempotent-Replayed"] = {
            "description": "`true` when this answer is the replay of the first answer to this Idempotency-Key.", "schema": S()}
    _c409 = ("idempotency_in_progress: a request with this Idempotency-Key is still being answered (retry after "
             "Retry-After seconds); idempotency_outcome_unknown: the first request with this key was saved but its "
             "answer was lost (check before sending it again with a new key)")
    if "409" in _o["responses"]:
        _o["responses"]["409"]["description"] = _o["responses"]["409"]["description"].rstrip(".") + "; " + _c409 + "."
    else:
        _o["responses"]["409"] = err("Conflict: " + _c409 + ".")
    _o["responses"]["422"] = err("idempotency_key_reused: this Idempotency-Key was used with a different request in "
                                 "the last 24 hours; nothing was done.")

# operationIds
for p, ms in paths.items():
    for m, o in ms.items():
        segs = [s for s in p.split("/")[3:]]
        name = m + "".join(("By" + s[1:-1].title()) if s.startswith("{") else s.title().replace("_", "") for s in segs)
        o["operationId"] = name.replace("/", "")

doc = {
    "openapi": "3.0.3",
    "info": {"title": "Tiejun 铁军 API", "version": "1",
             "description": (
                 "The sales-team CRM built on the method of 《销售铁军》. JSON in and out, UTF-8. Dates are `YYYY-MM-DD`; times "
                 "are ISO 8601 with an offset, shown in the organisation's time zone (default Asia/Shanghai). Money "
                 "(`amount`, `budget_capacity`, `min_order_value`, `signed_amount`) is an integer number of fen (分, "
                 "1/100 yuan). Request bodies are strict JSON objects. The 400 codes are: `invalid_query` (bad percent-encoding or a repeated query parameter), `unknown_parameter` (a query parameter the operation does not list), `invalid_json`, `invalid_body` (not a JSON object), `unknown_field` (a body field the operation does not list), `forbidden_field` (`id`, `org_id` or another field you may not set), `invalid_field` (wrong type, out of range, too long, invalid UTF-8, or a rule of the operation; the message starts with the field name), `unsupported_media_type` (multipart), plus operation-specific ones. Every error is "
                 "`{\"error\":{\"code\",\"message\"}}` with a 4xx status. Records outside the caller's scope answer 404. "
                 "Lists answer `{\"items\":[…],\"next_cursor\":…}` and take `limit` and `cursor` where paged; pass "
                 "`next_cursor` back as `cursor` until it is null. Authentication: the session cookie `tj_session` from "
                 "POST /api/v1/session (cookie writes also need the header X-CSRF-Token), or `Authorization: Bearer "
                 "<token>` from POST /api/v1/tokens. An unsupported method on a known path answers 405; an unknown path 404. Every answer carries `X-Request-Id` (the client's own when it sends a sane one, 1–64 characters of `[A-Za-z0-9._:-]`; else a new one), the id the server's log lines of that request carry. Answers of 1 KB or more are gzip-compressed when the request says `Accept-Encoding: gzip` (and carry `Vary: Accept-Encoding`). Every request has a deadline (10 s by default; imports and exports 600 s): past it the answer is 503 `timeout`. Computed views take `as_of` (default today in the organisation's zone) to be seen as they stood on that day; their `message` texts are Chinese, or English with `Accept-Language: en`.")},
    "servers": [{"url": "/"}],
    "tags": [{"name": t} for t in ["auth", "teams", "users", "companies", "contacts", "visits", "deals", "targets",
                                   "settings", "rhythm", "metrics", "audit", "method", "insights", "people", "bookings", "views"] if any(o["tags"][0] == t for it in paths.values() for o in it.values())],
    "paths": paths,
    "components": {
        "securitySchemes": {
            "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "tj_session", "description": "Session cookie set by POST /api/v1/session."},
            "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token",
                           "description": "The `csrf_token` from login; required on cookie-authenticated POST/PUT/PATCH/DELETE."},
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/tokens; no CSRF header needed."}},
        "responses": {
            "Unauthorized": err("unauthorized: not logged in, invalid token, expired session or inactive account."),
            "CsrfForbidden": err("csrf: a cookie-authenticated write without a valid X-CSRF-Token header."),
            "TooLarge": err("body_too_large: the body exceeds the server limit (8 MiB by default)."),
            "UnsupportedMediaType": err("unsupported_media_type: a JSON body must be sent with Content-Type: application/json."),
            "Unavailable": err("timeout: the request passed the server's deadline (`serve --request-timeout`, 10 s by default) "
                               "and its query was stopped, or it waited that long for a thread; overloaded: too many "
                               "requests are queued (the expensive views, searches and exports have a queue of their own); "
                               "busy / unavailable: the database is busy or cannot be reached. Retry later.")},
        "schemas": schemas},
}
if any(o["tags"][0] == "notifications" for it in paths.values() for o in it.values()):
    doc["tags"].append({"name": "notifications"})
def c(x): return json.dumps(x, ensure_ascii=False, separators=(",", ":"))
def block(d, ind):
    # one line per entry: readable diffs, compact file
    return "{\n" + ",\n".join(ind + c(k) + ":" + c(v) for k, v in d.items()) + "\n" + ind[:-1] + "}"
parts = []
for k, v in doc.items():
    if k == "paths":
        parts.append(' "paths":{\n' + ",\n".join("  " + c(pk) + ":" + block(pv, "   ") for pk, pv in v.items()) + "\n }")
    elif k == "components":
        parts.append(' "components":{"securitySchemes":' + block(v["securitySchemes"], "   ") +
                     ',\n  "responses":' + block(v["responses"], "   ") +
                     ',\n  "schemas":' + block(v["schemas"], "   ") + "}")
    else:
        parts.append(" " + c(k) + ":" + c(v))
out = "{\n" + ",\n".join(parts) + "\n}"
assert json.loads(out) == doc
open(sys.argv[1], "w", encoding="utf-8").write(out + "\n")
print(len(out.encode()), "bytes,", sum(len(v) for v in paths.values()), "operations")
